using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Core.Index;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Imaging;
using ClipSearch.Engine.Stores;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;
using ClipSearch.Indexing;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch bench pipeline FOLDER</c>: indexes a folder into a temporary embedded index with the real
/// pipeline (decoder processes, batched encoding, durable writes) and prints images/s and the time per image of
/// each stage. tools/bench/pipeline.sh runs it beside the Python reference pipeline.
/// </summary>
internal static class BenchPipelineCommand
{
    public static Command Create()
    {
        var model = new ModelOptions { Indexes = true };
        var folder = new Argument<DirectoryInfo>("FOLDER") { Description = "Folder of images to index." };
        var workers = new Option<int?>("--workers") { Description = "Decoder processes (default: one per core)." };
        var exact = new Option<bool>("--exact-decode") { Description = "Decode JPEGs at full size (as the reference transform does) instead of DCT-domain downscaling." };
        var json = CommonOptions.Json();
        var command = new Command("pipeline", "Index a folder into a temporary index and report images/s and per-stage time per image.");
        command.Arguments.Add(folder);
        model.AddTo(command);
        command.Options.Add(workers);
        command.Options.Add(exact);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var decoding = parse.GetValue(workers) is { } count
                ? new Dictionary<string, string?> { [SettingKeys.DecodeWorkers] = count.ToString(CultureInfo.InvariantCulture) }
                : null;
            using var engine = CliEngine.Create(parse, decoding, model);
            var exactDecode = parse.GetValue(exact);
            var temp = Path.Combine(Path.GetTempPath(), "clipsearch-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                using var store = StoreFactory.OpenEmbedded(new EmbeddedStoreOptions { Path = temp });
                using var encoder = engine.ImageEncoders.Create(exactDecode ? ImageDecoding.Exact : ImageDecoding.Scaled);
                _ = encoder.WarmUpDecodersAsync(); // as `index` does: the decoders start while the image tower loads
                var collection = await store.Store.CreateCollectionAsync(CollectionNames.Default, encoder.ModelId, encoder.Dimension, ct).ConfigureAwait(false);
                var indexer = new CollectionIndexer(collection, encoder, store.State, new IndexOptions { BatchSize = model.BatchSize(parse) });
                var summary = await indexer.RunAsync([parse.GetValue(folder)!.FullName], null, ct).ConfigureAwait(false);
                var n = Math.Max(1, summary.Indexed + summary.Updated);
                double PerImage(TimeSpan t) => Math.Round(t.TotalMilliseconds / n, 2);
                // The share of the run the model was encoding (at least one batch running), and the share each stream was running
                // (their encode times summed, over streams x wall time): below the first, the model waited for decoded images.
                var streams = encoder.Parallelism;
                var wall = Math.Max(summary.ElapsedSeconds, 1e-9);
                var encoderBusy = Math.Round(summary.Stages.Encoding.TotalSeconds / wall, 3);
                var streamBusy = Math.Round(summary.Stages.Encode.TotalSeconds / (streams * wall), 3);
                if (parse.GetValue(json))
                {
                    var stages = new StageTimesOutput(PerImage(summary.Stages.Read), PerImage(summary.Stages.Decode), PerImage(summary.Stages.Preprocess),
                        PerImage(summary.Stages.Encode), PerImage(summary.Stages.Store));
                    var measured = new BenchPipelineOutput("clipsearch", summary.Indexed, summary.Skipped.Values.Sum(), Math.Round(summary.ElapsedSeconds, 2),
                        Math.Round(summary.ImagesPerSecond, 2), parse.GetValue(workers) is { } given && given > 0 ? given : Environment.ProcessorCount,
                        model.BatchSize(parse), exactDecode ? "full" : "scaled", streams, encoderBusy, streamBusy, stages);
                    await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(measured, CliJsonContext.Relaxed.BenchPipelineOutput)).ConfigureAwait(false);
                }
                else
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{summary.Indexed} images in {summary.ElapsedSeconds:0.0} s: {summary.ImagesPerSecond:0.0} images/s; per image: read {PerImage(summary.Stages.Read)} ms, decode {PerImage(summary.Stages.Decode)} ms, preprocess {PerImage(summary.Stages.Preprocess)} ms, encode {PerImage(summary.Stages.Encode)} ms ({streams} side by side), store {PerImage(summary.Stages.Store)} ms; encoder busy {encoderBusy:P0} of the time (each stream {streamBusy:P0})")).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }
            finally
            {
                Directory.Delete(temp, recursive: true);
            }
        });
        return command;
    }
}
