using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Categorization;
using ClipSearch.Engine.Stores;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch categorize --labels ...</c>: labels a stored collection zero-shot from its stored embeddings
/// (see <see cref="Categorizer"/>), prints the distribution, and optionally exports every image's label.
/// </summary>
internal static class CategorizeCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var store = new StoreOptions();
        var prompts = new PromptOptions();
        var filter = CommonOptions.Filter();
        var minScore = CommonOptions.Score("--min-score", "Leave an image unlabelled when its best label's cosine similarity is below this.");
        var minMargin = CommonOptions.Score("--min-margin", "Leave an image unlabelled when its best label beats the runner-up by less than this (cosine).");
        var minProbability = CommonOptions.Probability("--min-probability",
            "Leave an image unlabelled when its best label's probability is below this (default: 0.5 for a sigmoid model such as SigLIP, whose labels are each a yes/no; none for CLIP). 0 turns it off.");
        var labelSet = new Option<string>("--label-set")
        {
            Description = "Name under which labels are written in each image's payload (other label sets are untouched).",
            DefaultValueFactory = _ => Categorizer.DefaultLabelSet,
        };
        var multiLabel = new Option<bool>("--multi-label")
        {
            Description = "Give each image every label that passes the thresholds on its own, not only the best: natural with a sigmoid model (SigLIP; probability 0.5 by default); a CLIP model needs --min-score.",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Classify and report, but write nothing to the index." };
        var export = new Option<FileInfo?>("--export") { Description = "Also write every image's label to FILE.csv or FILE.json (path, label, score, runner-up, runner-up score; with --multi-label the further labels and their scores)." };
        var json = CommonOptions.Json();
        var command = new Command("categorize", "Label every stored image of a collection with the labels you give, zero-shot, from the stored embeddings (no image is decoded again). Re-running replaces the label set; an interrupted run resumes.");
        model.AddTo(command);
        store.AddTo(command);
        prompts.AddTo(command);
        foreach (var option in new Option[] { filter, minScore, minMargin, minProbability, multiLabel, labelSet, dryRun, export, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            PromptSet set;
            var pointFilter = parse.GetValue(filter);
            try
            {
                set = prompts.Resolve(parse);
                LabelSets.Validate(parse.GetValue(labelSet)!);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or VectorStoreException)
            {
                await error.WriteLineAsync($"categorize: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var exportFile = parse.GetValue(export);
            if (exportFile is not null && exportFile.Extension.ToLowerInvariant() is not (".csv" or ".json"))
            {
                await error.WriteLineAsync($"categorize: --export {exportFile.Name}: the file must end in .csv or .json").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using var engine = CliEngine.Create(parse, model, store);
            var folder = StoreFactory.LocalFolder(engine.IndexSettings);
            if (!parse.GetValue(dryRun))
            {
                StoreFolder.EnsureWritable(folder);
            }

            try
            {
                return await RunAsync(parse, engine, set, pointFilter, exportFile, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreFolder.TryExplain(e, folder, out var explained))
            {
                throw explained;
            }
        });
        return command;

        async Task<int> RunAsync(ParseResult parse, CliEngine engine, PromptSet set, PointFilter? pointFilter, FileInfo? exportFile, CancellationToken ct)
        {
            var error = parse.InvocationConfiguration.Error;
            var collection = await engine.Collections.OpenAsync(store.CollectionName(parse), engine.Text, ct).ConfigureAwait(false);
            ZeroShotClassifier classifier;
            try
            {
                classifier = ZeroShotClassifier.Create(prompts.LabelList(parse), set, engine.Text, ct);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"categorize: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            Categorizer categorizer;
            try
            {
                categorizer = new Categorizer(collection, classifier, set.Key,
                    new Thresholds(parse.GetValue(minScore), parse.GetValue(minMargin), parse.GetValue(minProbability)), parse.GetValue(multiLabel));
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"categorize --multi-label: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var rows = exportFile is null ? null : new List<Categorized>();
            var line = new StatusLine(error, StatusLine.IsInteractive(error), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
            await error.WriteLineAsync($"categorizing collection '{collection.Name}' into label set '{parse.GetValue(labelSet)}'").ConfigureAwait(false);
            CategorizeSummary summary;
            try
            {
                summary = await categorizer.RunAsync(parse.GetValue(labelSet)!, pointFilter, parse.GetValue(dryRun), rows is null ? null : rows.Add,
                    new Progress<(int Done, long Total)>(p => line.Show(() => $"categorizing: {p.Done:N0}/{p.Total:N0} images")), ct).ConfigureAwait(false);
            }
            catch (CategorizeCancelledException e) when (e.Summary is not null)
            {
                // Stopped by a signal: the labels written are kept and counted (no export); a rerun resumes.
                line.Close();
                await ReportAsync(parse, e.Summary, cancelled: true).ConfigureAwait(false);
                throw;
            }

            line.Close();
            if (exportFile is not null)
            {
                await WriteExportAsync(exportFile, rows!, categorizer.MultiLabel, ct).ConfigureAwait(false);
            }

            await ReportAsync(parse, summary, cancelled: false).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        async Task ReportAsync(ParseResult parse, CategorizeSummary summary, bool cancelled)
        {
            var text = Describe(summary, parse.GetValue(dryRun));
            await parse.InvocationConfiguration.Error.WriteLineAsync(cancelled ? $"cancelled (run again to finish; nothing exported), so far: {text}" : text)
                .ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(CategorizeOutput.From(summary, parse.GetValue(dryRun), cancelled),
                    CliJsonContext.Relaxed.CategorizeOutput)).ConfigureAwait(false);
            }
        }
    }

    private static string Describe(CategorizeSummary s, bool dryRun)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{(dryRun ? "dry run, nothing written: " : "")}{s.Images:N0} images in label set '{s.LabelSet}' (run {s.RunId}; {s.AlreadyDone:N0} already labelled by an earlier, possibly interrupted, run of the same categorization), {s.ElapsedSeconds:0.0} s, {s.ImagesPerSecond:0} images/s\n");
        foreach (var (label, count) in s.Distribution.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {(label.Length == 0 ? "(unlabelled)" : label),-30} {count,8:N0}  {100.0 * count / Math.Max(1, s.Images),5:0.0}%\n");
        }

        if (s.MultiLabel)
        {
            text.Append("  (several labels per image: an image counts under each label it got)\n");
        }

        return text.ToString().TrimEnd();
    }

    private static async Task WriteExportAsync(FileInfo file, List<Categorized> rows, bool multiLabel, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(file.FullName);
        if (file.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            await CategorizationExport.WriteJsonAsync(stream, rows, withId: false, camelCase: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await CategorizationExport.WriteCsvAsync(stream, rows, withId: false, multiLabel, cancellationToken).ConfigureAwait(false);
        }
    }

}
