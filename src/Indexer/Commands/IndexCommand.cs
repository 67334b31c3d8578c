using System.CommandLine;
using System.Globalization;
using ClipSearch.Clip.Imaging;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexing;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch index PATH...</c>: brings a collection in line with folders on disk (see
/// <see cref="CollectionIndexer"/>); with <c>--watch</c>, keeps it in line until stopped.
/// </summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var store = new StoreOptions();
        var paths = new Argument<string[]>("PATH") { Description = "Folders (or single image files) to index.", Arity = ArgumentArity.OneOrMore };
        var include = new Option<string[]>("--include") { Description = "Only files whose path below PATH matches this glob (repeatable; ** = any depth), e.g. '**/*.jpg'." };
        var exclude = new Option<string[]>("--exclude") { Description = "Leave out files whose path below PATH matches this glob (repeatable), e.g. 'cache/**'." };
        var hidden = new Option<bool>("--hidden") { Description = "Also index hidden files and folders (names starting with a dot)." };
        var symlinks = new Option<bool>("--follow-symlinks") { Description = "Follow symbolic links (off: links are not followed, so nothing outside PATH is indexed)." };
        var retry = new Option<bool>("--retry-skipped") { Description = "Try again the files skipped by earlier runs, even if unchanged." };
        var workers = new Option<int>("--workers") { Description = "Decoder processes (default: one per core)." };
        var watch = new Option<bool>("--watch") { Description = "After the first pass, keep the index in sync with changes until stopped (Ctrl+C)." };
        var rescan = new Option<int>("--rescan-minutes")
        {
            Description = "With --watch: also rescan this often, in case file-system events were missed.",
            DefaultValueFactory = _ => 10,
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds one image may take to decode before it is stopped and skipped as timed out.",
            DefaultValueFactory = _ => 15.0,
        };
        var exact = new Option<bool>("--exact-decode")
        {
            Description = "Decode JPEGs at full size, exactly as CLIP's reference transform (slower); by default they are decoded at 1/2-1/8 scale, which changes embeddings by under 1%.",
        };
        var checkpoint = new Option<double>("--checkpoint-seconds")
        {
            Description = "Longest time finished work waits before it is written durably (a killed run redoes at most this much).",
            DefaultValueFactory = _ => 2.0,
        };
        var json = CommonOptions.Json();
        var command = new Command("index", "Index the images under PATH: new files are embedded, changed ones re-embedded, moved ones kept, deleted ones removed; bad files are skipped and listed by 'clipsearch skipped'. A second run only does what changed; a killed run resumes where it stopped.");
        command.Arguments.Add(paths);
        model.AddTo(command);
        store.AddTo(command);
        foreach (var option in new Option[] { include, exclude, hidden, symlinks, retry, workers, timeout, exact, watch, rescan, checkpoint, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var options = new IndexOptions
            {
                Scan = new ScanOptions
                {
                    IncludeHidden = parse.GetValue(hidden),
                    FollowSymlinks = parse.GetValue(symlinks),
                    Include = parse.GetValue(include) ?? [],
                    Exclude = parse.GetValue(exclude) ?? [],
                },
                BatchSize = parse.GetValue(model.Batch),
                RetrySkipped = parse.GetValue(retry),
                WriteInterval = TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(checkpoint), 0.05, 3600)),
                MaxFileBytes = new ImageDecodeOptions().MaxFileBytes,
            };
            var targets = parse.GetValue(paths) ?? [];
            var missing = targets.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
            if (missing.Count > 0)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"index: no such file or folder: {string.Join(", ", missing)}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var decode = new ImageDecodeOptions { Timeout = TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(timeout), 0.1, 3600)) };
            var exactDecode = parse.GetValue(exact);
            return await RunAsync(parse, model, store, targets, options, decode, exactDecode, parse.GetValue(workers), parse.GetValue(watch),
                TimeSpan.FromMinutes(Math.Max(1, parse.GetValue(rescan))), parse.GetValue(json), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ModelOptions modelOptions, StoreOptions storeOptions, string[] paths, IndexOptions options,
        ImageDecodeOptions decode, bool exactDecode, int workers, bool watch, TimeSpan rescan, bool json, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        using var logging = CliLogging.Create(parse.GetValue(modelOptions.Verbose));
        using var model = modelOptions.Load(parse, logging);
        using var context = storeOptions.Open(parse);
        var name = storeOptions.CollectionName(parse);
        using var writerLock = context.State.LockCollection(name);
        var collection = await CollectionIndexer.OpenOrCreateAsync(context.Store, name, model, cancellationToken).ConfigureAwait(false);
        if (!exactDecode)
        {
            decode.JpegDecodeSize = model.Preprocessor.Config.ResizeShortestEdge;
        }

        using var preparer = ImagePreparers.Create(model, decode, workers);
        var indexer = new CollectionIndexer(collection, model, preparer, context.State, options, logging.CreateLogger("ClipSearch.Indexer"));
        await error.WriteLineAsync($"indexing {string.Join(", ", paths)} into collection '{name}' ({context.Description}) with {model.ModelId}").ConfigureAwait(false);

        var summary = await PassAsync(indexer, paths, output, error, json, cancellationToken).ConfigureAwait(false);
        if (!watch)
        {
            if (context.Store is ClipSearch.Storage.Embedded.EmbeddedVectorStore embedded)
            {
                await GraphProgress.FinishAsync(embedded, name, error, cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }

        await error.WriteLineAsync($"watching for changes (Ctrl+C to stop; full rescan every {rescan.TotalMinutes:0} min)").ConfigureAwait(false);
        using var watcher = new FolderWatcher(paths, rescan);
        try
        {
            while (true)
            {
                await watcher.WaitForChangesAsync(cancellationToken).ConfigureAwait(false);
                summary = await PassAsync(indexer, paths.Where(p => File.Exists(p) || Directory.Exists(p)).ToArray(), output, error, json, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("stopped watching").ConfigureAwait(false);
            return ExitCodes.Success;
        }
    }

    private static async Task<IndexSummary> PassAsync(CollectionIndexer indexer, string[] paths, TextWriter output, TextWriter error, bool json,
        CancellationToken cancellationToken)
    {
        var progress = ConsoleProgress.For(error);
        IndexSummary summary;
        try
        {
            summary = await indexer.RunAsync(paths, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            progress.Close();
        }

        foreach (var folder in summary.UnlistedFolders)
        {
            await error.WriteLineAsync($"warning: could not list {folder}; what the index holds from there was kept").ConfigureAwait(false);
        }

        await error.WriteLineAsync(Describe(summary)).ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(ToJson(summary)).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return summary;
    }

    internal static string Describe(IndexSummary s)
    {
        var skipped = s.Skipped.Values.Sum();
        var reasons = skipped == 0 ? "" : " (" + string.Join(", ", s.Skipped.Select(kv => $"{kv.Key} {kv.Value}")) + "; see 'clipsearch skipped')";
        return string.Create(CultureInfo.InvariantCulture,
            $"done: {s.Indexed} indexed, {s.Updated} updated, {s.Moved} moved, {s.Unchanged} unchanged, {s.Deleted} deleted, {skipped} skipped{reasons}, " +
            $"{s.Ignored} not images; {s.Encoded} images encoded in {s.ElapsedSeconds:0.0} s ({s.ImagesPerSecond:0.0} images/s)");
    }

    /// <summary>The summary object of <c>--json</c>.</summary>
    internal static string ToJson(IndexSummary s) => JsonLine.Write(w =>
    {
        w.WriteNumber("indexed", s.Indexed);
        w.WriteNumber("unchanged", s.Unchanged);
        w.WriteNumber("updated", s.Updated);
        w.WriteNumber("moved", s.Moved);
        w.WriteNumber("deleted", s.Deleted);
        w.WriteStartObject("skipped");
        foreach (var (reason, count) in s.Skipped)
        {
            w.WriteNumber(reason, count);
        }

        w.WriteEndObject();
        w.WriteNumber("elapsed_seconds", Math.Round(s.ElapsedSeconds, 3));
        w.WriteNumber("images_per_second", Math.Round(s.ImagesPerSecond, 2));
    });
}
