using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Clip.Models;
using ClipSearch.Clip.Models.Download;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Models;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch models pull NAME [--variant full|quantized|fp16]</c>: downloads a real CLIP model from the
/// Hugging Face hub (or $HF_ENDPOINT), resuming and verifying every file, and <c>models list</c>: what can be pulled and what is.
/// </summary>
internal static class ModelsPullCommand
{
    public static Command CreatePull()
    {
        var name = new Argument<string>("NAME") { Description = "Model to download (see 'clipsearch models list')." };
        var variant = new Option<string>("--variant")
        {
            Description = "Weights: full (float32), quantized (int8, about 4x smaller and faster on CPU) or fp16.",
            DefaultValueFactory = _ => ModelCatalogue.Full,
        };
        variant.AcceptOnlyFromAmong(ModelCatalogue.Full, ModelCatalogue.Quantized, ModelCatalogue.Fp16);
        var dir = new Option<DirectoryInfo?>("--dir") { Description = $"Download into this folder (default: the models folder, ${EnvironmentSettings.ModelsFolder}, else ~/.local/share/clipsearch/models)." };
        var endpoint = new Option<Uri?>("--endpoint")
        {
            Description = "Hub to download from (default: $HF_ENDPOINT, else https://huggingface.co).",
            CustomParser = CommonOptions.ParseUrl,
        };
        var command = new Command("pull", "Download a CLIP model, resuming interrupted transfers and verifying each file's SHA-256 (or git hash) against the hub's.");
        command.Arguments.Add(name);
        command.Options.Add(variant);
        command.Options.Add(dir);
        command.Options.Add(endpoint);
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var model = ModelCatalogue.Find(parse.GetValue(name)!);
            if (model is null)
            {
                await error.WriteLineAsync($"models pull: unknown model '{parse.GetValue(name)}'; known: {string.Join(", ", ModelCatalogue.Models.Select(m => m.Name))}.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var chosen = parse.GetValue(variant)!;
            if (!model.Variants.TryGetValue(chosen, out var files))
            {
                await error.WriteLineAsync($"models pull: {model.Name} has no {chosen} variant; it has {string.Join(", ", model.Variants.Keys)}.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using var engine = CliEngine.Create(parse);
            var folder = parse.GetValue(dir)?.FullName ?? ModelResolver.PulledFolder(engine.ModelSettings, model);
            using var downloader = new ModelDownloader(parse.GetValue(endpoint));
            await error.WriteLineAsync($"pulling {model.Name} ({chosen}) from {downloader.Endpoint} into {folder}").ConfigureAwait(false);
            var progress = new DownloadReporter(error);
            try
            {
                await downloader.DownloadAsync(files, folder, progress, ct).ConfigureAwait(false);
                await downloader.RecordAsync(model, folder, ct).ConfigureAwait(false);
            }
            catch (ModelDownloadException e)
            {
                progress.Close();
                await error.WriteLineAsync($"error: download: {e.Message}").ConfigureAwait(false);
                return ExitCodes.ModelError;
            }

            progress.Close();
            var opened = ClipModelFolder.Open(folder, chosen == ModelCatalogue.Full ? null : chosen);
            var variantFlag = chosen == ModelCatalogue.Full ? "" : $" --variant {chosen}";
            var variantSetting = chosen == ModelCatalogue.Full ? "" : $" --ClipSearch:Variant={chosen}";
            await error.WriteLineAsync($"done: {opened.ModelId} in {folder}; use it with --model {model.Name}{variantFlag} (the Search API: --ClipSearch:Model={model.Name}{variantSetting})")
                .ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateList()
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "List the models 'models pull' can download, and which are downloaded.");
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            using var engine = CliEngine.Create(parse);
            foreach (var model in ModelCatalogue.Models)
            {
                var folder = ModelResolver.PulledFolder(engine.ModelSettings, model);
                var pulled = model.Variants.Where(v => v.Value.Where(f => !f.Optional).All(f => File.Exists(Path.Combine(folder, f.LocalPath)))).Select(v => v.Key).ToList();
                if (parse.GetValue(json))
                {
                    var listed = new ModelsListOutput(model.Name, model.Description, ModelFamilies.Name(model.Family), model.Dimension, model.Languages,
                        model.IsTextOnly, model.Spaces, [.. model.Variants.Keys], model.ApproximateSizes, pulled, folder);
                    await output.WriteLineAsync(JsonSerializer.Serialize(listed, CliJsonContext.Relaxed.ModelsListOutput)).ConfigureAwait(false);
                }
                else
                {
                    var state = pulled.Count == 0 ? "not pulled" : $"pulled ({string.Join(", ", pulled)}) in {folder}";
                    await output.WriteLineAsync($"{model.Name}\t{model.Description}\t{Summary(model)}\tvariants: {Sizes(model)}\t{state}").ConfigureAwait(false);
                }
            }

            if (!parse.GetValue(json))
            {
                await output.WriteLineAsync($"bundled\t{BundledModel.Folder} (the tiny test model: shapes and colours only)").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Summary(CatalogueModel model) =>
        $"{ModelFamilies.Name(model.Family)}, {model.Dimension}-d, languages: {string.Join(", ", model.Languages)}"
        + (model.IsTextOnly ? $", text tower only (queries collections of {model.Spaces[0]})" : "");

    /// <summary>Each variant with the size a source states ("~606 MB"), else "size unknown": nothing is guessed.</summary>
    private static string Sizes(CatalogueModel model) => string.Join(", ", model.Variants.Keys.Select(v => model.ApproximateSizes.TryGetValue(v, out var bytes)
        ? string.Create(CultureInfo.InvariantCulture, $"{v} (~{bytes / 1_000_000} MB)")
        : $"{v} (size unknown)"));

    /// <summary>Download progress on stderr: file, bytes, percent, MiB/s.</summary>
    private sealed class DownloadReporter(TextWriter error) : IProgress<DownloadProgress>
    {
        private readonly StatusLine _line = new(error, StatusLine.IsInteractive(error), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

        public void Report(DownloadProgress value) => _line.Show(() =>
        {
            var percent = value.FileSize is > 0 ? $" {100.0 * value.FileBytes / value.FileSize.Value:0.0}%" : "";
            return string.Create(CultureInfo.InvariantCulture,
                $"{value.File}: {value.FileBytes / 1048576.0:0.0} MiB{percent}, {value.BytesPerSecond / 1048576.0:0.0} MiB/s");
        });

        public void Close() => _line.Close();
    }
}
