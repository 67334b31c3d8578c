using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Clip.Models;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Ranking;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Imaging;
using ClipSearch.Engine.Search;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;
using ClipSearch.Indexing;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch eval --dataset DIR</c>: zero-shot accuracy on an image-folder dataset (one subfolder per
/// class): top-1, top-5, per class, the most confused pairs, images/s; a report folder with the confusion
/// matrix as CSV and SVG. With --json: <c>{"images", "top1", "top5", "images_per_second", "per_class": {label: accuracy}}</c>.
/// With several <c>--model</c> (or <c>--variant</c>) values, every model on the same images side by side:
/// <c>{"models": [{"model", "variant", "family", "images", "top1", "top5", "images_per_second", "per_class"}]}</c>.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new ModelOptions(several: true);
        var prompts = new PromptOptions();
        var dataset = new Option<DirectoryInfo>("--dataset") { Description = "Image-folder dataset: one subfolder per class.", Required = true };
        var labelsFile = new Option<FileInfo?>("--labels-file")
        {
            Description = "Maps folder names to labels, one 'folder<TAB>label' (or 'folder,label') per line; default: the folder name with '_' and '-' as spaces.",
        };
        var compare = new Option<bool>("--compare-templates") { Description = "Also evaluate other templates and ensembles on the same images, side by side." };
        var report = new Option<DirectoryInfo?>("--report") { Description = "Write report.md, per-class.csv, confusion.csv and confusion.svg into this folder." };
        var exact = new Option<bool>("--exact-decode") { Description = "Decode JPEGs at full size, exactly as CLIP's reference transform (as clipsearch index --exact-decode)." };
        var json = CommonOptions.Json();
        var command = new Command("eval", "Measure zero-shot accuracy on your own labelled images (a folder per class): top-1, top-5, per class, confusions.");
        model.AddTo(command);
        prompts.AddTo(command, withLabels: false);
        foreach (var option in new Option[] { dataset, labelsFile, compare, report, exact, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            PromptSet set;
            List<(string Path, string Truth)> items;
            IReadOnlyList<(string? Model, string? Variant)> runs;
            try
            {
                set = prompts.Resolve(parse);
                items = ReadDataset(parse.GetValue(dataset)!, parse.GetValue(labelsFile));
                runs = model.Runs(parse);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IOException)
            {
                await error.WriteLineAsync($"eval: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var labels = items.Select(i => i.Truth).Distinct().Order(StringComparer.Ordinal).ToList();
            var results = new List<EvalRun>();
            foreach (var (name, variant) in runs)
            {
                if (runs.Count > 1)
                {
                    await error.WriteLineAsync($"eval: {name ?? "the configured model"}{(variant is null ? "" : $" ({variant})")}").ConfigureAwait(false);
                }

                var run = await EvaluateAsync(parse, model, Chosen(name, variant), items, labels, set, parse.GetValue(exact), parse.GetValue(compare), error, ct)
                    .ConfigureAwait(false);
                if (run is null)
                {
                    return ExitCodes.Usage;
                }

                results.Add(run);
            }

            await WriteAsync(parse, results, set.Name, parse.GetValue(report), parse.GetValue(json)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, string?> Chosen(string? model, string? variant)
    {
        var settings = new Dictionary<string, string?>();
        if (model is not null)
        {
            settings[SettingKeys.Model] = model;
        }

        if (variant is not null)
        {
            settings[SettingKeys.Variant] = variant;
        }

        return settings;
    }

    /// <summary>One model on the dataset: embed every image, classify, and (with --compare-templates) the other prompt sets; null after a usage error.</summary>
    private static async Task<EvalRun?> EvaluateAsync(ParseResult parse, ModelOptions model, Dictionary<string, string?> chosen, List<(string Path, string Truth)> items,
        List<string> labels, PromptSet set, bool exact, bool compare, TextWriter error, CancellationToken ct)
    {
        using var engine = CliEngine.Create(parse, chosen, model);
        using var encoder = engine.ImageEncoders.Create(exact ? ImageDecoding.Exact : ImageDecoding.Scaled);
        var clock = Stopwatch.StartNew();
        var (embedded, failed) = await EmbedAsync(encoder, items, model.BatchSize(parse), error, ct).ConfigureAwait(false);
        var imagesPerSecond = embedded.Count / Math.Max(1e-3, clock.Elapsed.TotalSeconds);
        ZeroShotClassifier Classifier(PromptSet p) => ZeroShotClassifier.Create(labels, p, engine.Text, ct);
        Evaluation result;
        try
        {
            result = Evaluation.Run(Classifier(set), embedded);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"eval: {e.Message}").ConfigureAwait(false);
            return null;
        }

        var comparison = new List<(string Name, Evaluation Result)>();
        if (compare)
        {
            var sets = new[] { set, new PromptSet(["{}"], null, "{} (the label alone)"), PromptSet.Ensemble("photo"), PromptSet.Ensemble("imagenet80") }
                .DistinctBy(p => p.Key).ToList();
            comparison.AddRange(sets.Select(p => (p.Name, Evaluation.Run(Classifier(p), embedded))));
        }

        // Search quality: each class name as a query, as a person would type it.
        var queries = engine.Text.Encode(labels, ct);
        var images = embedded.Select(e => (e.Truth, e.Embedding)).ToList();
        var threshold = ScoreCalibration.Threshold(engine.Text.Encode(ProbeQueries.All, ct), [.. images.Select(i => i.Embedding)], ScoreCalibration.Quantile);
        var retrieval = RetrievalEvaluation.Run(images, labels.Select((l, i) => (l, queries[i])).ToDictionary(x => x.l, x => x.Item2), threshold);
        var loaded = engine.Model;
        return new EvalRun(loaded.ModelId, engine.ModelLocation.Variant, ModelFamilies.Name(loaded.Family), result, imagesPerSecond, comparison, failed, retrieval);
    }

    /// <summary>The report on stderr (and in --report), and --json on stdout: one model's shape, or the comparison's.</summary>
    private static async Task WriteAsync(ParseResult parse, List<EvalRun> runs, string promptSet, DirectoryInfo? folder, bool json)
    {
        var (error, output) = (parse.InvocationConfiguration.Error, parse.InvocationConfiguration.Output);
        var failed = runs.Max(r => r.Failed);
        var notCounted = failed > 0 ? $"\n{failed} images could not be read and are not counted (run with --verbose to see them)\n" : "";
        if (runs is [var one])
        {
            await error.WriteLineAsync(EvalReport.Markdown(one.Result, promptSet, one.ImagesPerSecond, one.Templates, one.Retrieval) + notCounted).ConfigureAwait(false);
            if (folder is not null)
            {
                EvalReport.Write(folder.FullName, one.Result, promptSet, one.ImagesPerSecond, one.Templates, one.Retrieval);
                await error.WriteLineAsync($"report written to {folder.FullName}").ConfigureAwait(false);
            }

            if (json)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(EvalOutput.From(one.Result, one.ImagesPerSecond, one.Templates, one.Retrieval), CliJsonContext.Relaxed.EvalOutput))
                    .ConfigureAwait(false);
            }

            return;
        }

        await error.WriteLineAsync(EvalReport.Comparison(runs, promptSet) + notCounted).ConfigureAwait(false);
        if (folder is not null)
        {
            EvalReport.WriteComparison(folder.FullName, runs, promptSet);
            await error.WriteLineAsync($"report written to {folder.FullName}").ConfigureAwait(false);
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new EvalComparisonOutput([.. runs.Select(r => r.ToOutput())]), CliJsonContext.Relaxed.EvalComparisonOutput))
                .ConfigureAwait(false);
        }
    }

    /// <summary>The images of each class folder, with their labels.</summary>
    internal static List<(string Path, string Truth)> ReadDataset(DirectoryInfo root, FileInfo? labelsFile)
    {
        if (!root.Exists)
        {
            throw new ArgumentException($"--dataset {root.FullName} does not exist");
        }

        var names = labelsFile is null ? null : ReadLabelsFile(labelsFile);
        var items = new List<(string, string)>();
        foreach (var folder in root.EnumerateDirectories().Where(d => !ImageFiles.IsHidden(d.Name)).OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var label = names is null ? folder.Name.Replace('_', ' ').Replace('-', ' ').Trim()
                : names.TryGetValue(folder.Name, out var mapped) ? mapped
                : throw new FormatException($"{labelsFile!.Name} has no label for the folder '{folder.Name}'");
            var scan = FileScanner.Scan(root.FullName, folder.FullName, new ScanOptions());
            items.AddRange(scan.Files.Where(f => ImageFiles.HasImageExtension(Path.GetFileName(f.RelativePath)) || ImageFiles.LooksLikeImage(f.FullPath))
                .Select(f => (f.FullPath, label)));
        }

        if (items.Select(i => i.Item2).Distinct().Count() < 2)
        {
            throw new ArgumentException($"--dataset {root.FullName} needs at least two class folders with images in them");
        }

        return items;
    }


    private static Dictionary<string, string> ReadLabelsFile(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new ArgumentException($"--labels-file {file.FullName} does not exist");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(file.FullName).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var parts = line.Split(line.Contains('\t', StringComparison.Ordinal) ? '\t' : ',', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new FormatException($"{file.Name}: '{line}' is not 'folder<TAB>label'");
            }

            map[parts[0]] = parts[1];
        }

        return map;
    }

    private static async Task<(List<(string Path, string Truth, float[] Embedding)> Embedded, int Failed)> EmbedAsync(IImageEncoder encoder,
        List<(string Path, string Truth)> items, int batch, TextWriter error, CancellationToken cancellationToken)
    {
        var line = new StatusLine(error, StatusLine.IsInteractive(error), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
        var progress = new SyncProgress<int>(done => line.Show(() => string.Create(CultureInfo.InvariantCulture, $"embedding: {done:N0}/{items.Count:N0} images")));
        var encoded = await encoder.EncodeFilesAsync([.. items.Select(i => i.Path)], Math.Max(1, batch) * 4, progress, cancellationToken).ConfigureAwait(false);
        line.Close();
        var embedded = Enumerable.Range(0, items.Count).Where(i => encoded[i].Succeeded).Select(i => (items[i].Path, items[i].Truth, encoded[i].Embedding!)).ToList();
        return (embedded, items.Count - embedded.Count);
    }
}
