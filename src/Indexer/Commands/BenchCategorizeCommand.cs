using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Indexer.Bench;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;
using ClipSearch.Engine.Categorization;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch bench categorize</c>: fills a temporary embedded index with N clustered unit vectors, then
/// times categorization from the stored vectors (reading them from the index, scoring every label, keeping the
/// best two) without writing (dry run), and with writing the labels (the difference: the write time, also per million
/// images). tools/bench/categorize.sh runs it beside NumPy doing the same matrix product.
/// </summary>
internal static class BenchCategorizeCommand
{
    public static Command Create()
    {
        var vectors = new Option<int>("--vectors") { Description = "Stored vectors.", DefaultValueFactory = _ => 200_000 };
        var dimension = new Option<int>("--dim") { Description = "Dimension.", DefaultValueFactory = _ => 512 };
        var labelCount = new Option<int>("--labels") { Description = "Labels.", DefaultValueFactory = _ => 37 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds of the dry run (the median is reported).", DefaultValueFactory = _ => 5 };
        var json = CommonOptions.Json();
        var command = new Command("categorize", "Time zero-shot categorization of stored vectors (read from the embedded index, scored, best two kept).");
        foreach (var option in new Option[] { vectors, dimension, labelCount, rounds, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var (n, d, l) = (parse.GetValue(vectors), parse.GetValue(dimension), parse.GetValue(labelCount));
            var temp = Path.Combine(Path.GetTempPath(), "clipsearch-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                // No graph: categorization reads every vector, and a background build would only add noise.
                using var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = temp, Ann = new() { Threshold = int.MaxValue } });
                var collection = await store.CreateCollectionAsync("bench", "bench-model", d, ct).ConfigureAwait(false);
                var random = new Random(42);
                var centres = Enumerable.Range(0, l).Select(_ => SyntheticVectors.Unit(random, d, null, 0)).ToArray();
                for (var start = 0; start < n; start += 5000)
                {
                    var batch = Enumerable.Range(start, Math.Min(5000, n - start)).Select(i => new VectorPoint(
                        PointIds.NameBased("bench\n" + i), SyntheticVectors.Unit(random, d, centres[i % l], 0.7f),
                        new ImagePayload { Root = "/bench", Path = $"img{i}.jpg", Format = "jpeg", Width = 640, Height = 480 })).ToList();
                    await collection.UpsertAsync(batch, ct).ConfigureAwait(false);
                }

                var classifier = ZeroShotClassifier.FromEmbeddings([.. Enumerable.Range(0, l).Select(i => $"label {i}")], centres, ZeroShotScoring.ClipDefault);
                var categorizer = new Categorizer(collection, classifier, "bench", new Thresholds());
                var classifierForScoring = ZeroShotClassifier.FromEmbeddings([.. Enumerable.Range(0, l).Select(i => $"label {i}")], centres, ZeroShotScoring.ClipDefault);
                var reads = new List<double>();
                for (var r = 0; r < Math.Max(1, parse.GetValue(rounds)); r++)
                {
                    // Reading alone, the way categorization reads (rows of one buffer from the embedded index).
                    var clock = Stopwatch.StartNew();
                    await ((IVectorBatchReader)collection).ReadVectorBatchesAsync(null, 4096, (_, rows) =>
                    {
                        GC.KeepAlive(rows);
                        return Task.CompletedTask;
                    }, ct).ConfigureAwait(false);
                    reads.Add(clock.Elapsed.TotalSeconds);
                }

                reads.Sort();
                var all = new List<float[]>(n);
                await foreach (var page in collection.ScrollAsync(null, 4096, withVectors: true, ct).ConfigureAwait(false))
                {
                    all.AddRange(page.Select(p => p.Vector!));
                }

                var scoring = new List<double>();
                for (var r = 0; r < Math.Max(1, parse.GetValue(rounds)); r++)
                {
                    var clock = Stopwatch.StartNew();
                    for (var start = 0; start < all.Count; start += 4096)
                    {
                        GC.KeepAlive(classifierForScoring.LabelMany(all.GetRange(start, Math.Min(4096, all.Count - start))));
                    }

                    scoring.Add(clock.Elapsed.TotalSeconds);
                }

                scoring.Sort();
                var times = new List<double>();
                for (var r = 0; r < Math.Max(1, parse.GetValue(rounds)); r++)
                {
                    var clock = Stopwatch.StartNew();
                    await categorizer.RunAsync("bench", null, dryRun: true, cancellationToken: ct).ConfigureAwait(false);
                    times.Add(clock.Elapsed.TotalSeconds);
                }

                var wet = Stopwatch.StartNew();
                await categorizer.RunAsync("bench", null, dryRun: false, cancellationToken: ct).ConfigureAwait(false);
                var writeSeconds = wet.Elapsed.TotalSeconds;
                times.Sort();
                var median = times[times.Count / 2];
                var line = JsonSerializer.Serialize(new BenchCategorizeOutput("clipsearch categorize", n, d, l, Math.Round(reads[reads.Count / 2], 4),
                    Math.Round(scoring[scoring.Count / 2], 4), Math.Round(median, 4), Math.Round(n / median, 0), Math.Round(writeSeconds, 3),
                    Math.Round(n / writeSeconds, 0), Math.Round(writeSeconds - median, 3), Math.Round((writeSeconds - median) * 1e6 / n, 2)), CliJsonContext.Relaxed.BenchCategorizeOutput);
                await (parse.GetValue(json) ? parse.InvocationConfiguration.Output : parse.InvocationConfiguration.Error).WriteLineAsync(line).ConfigureAwait(false);
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
