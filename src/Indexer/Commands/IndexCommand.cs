using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Imaging;
using ClipSearch.Engine.Stores;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;
using ClipSearch.Indexing;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch index PATH...</c>: brings a collection in line with folders on disk (see
/// <see cref="CollectionIndexer"/>); with <c>--watch</c>, keeps it in line until stopped.
/// </summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var model = new ModelOptions { Indexes = true };
        var store = new StoreOptions();
        var paths = new Argument<string[]>("PATH") { Description = "Folders (or single image files) to index.", Arity = ArgumentArity.OneOrMore };
        var include = new Option<string[]>("--include") { Description = "Only files whose path below PATH matches this glob (repeatable; ** = any depth), e.g. '**/*.jpg'." };
        var exclude = new Option<string[]>("--exclude") { Description = "Leave out files whose path below PATH matches this glob (repeatable), e.g. 'cache/**'." };
        var hidden = new Option<bool>("--hidden") { Description = "Also index hidden files and folders (names starting with a dot)." };
        var symlinks = new Option<bool>("--follow-symlinks") { Description = "Follow symbolic links (off: links are not followed, so nothing outside PATH is indexed)." };
        var retry = new Option<bool>("--retry-skipped") { Description = "Try again the files skipped by earlier runs, even if unchanged." };
        var workers = new Option<int?>("--workers") { Description = "Decoder processes (default: one per core)." };
        var watch = new Option<bool>("--watch") { Description = "After the first pass, keep the index in sync with changes until stopped (Ctrl+C)." };
        var rescan = new Option<int>("--rescan-minutes")
        {
            Description = "With --watch: also rescan this often, in case file-system events were missed.",
            DefaultValueFactory = _ => 10,
        };
        var timeout = new Option<double?>("--timeout")
        {
            Description = "Seconds one image may take to decode before it is stopped and skipped as timed out (default 15).",
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
                BatchSize = model.BatchSize(parse),
                RetrySkipped = parse.GetValue(retry),
                WriteInterval = TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(checkpoint), 0.05, 3600)),
            };
            var targets = parse.GetValue(paths) ?? [];
            var missing = targets.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
            if (missing.Count > 0)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"index: no such file or folder: {string.Join(", ", missing)}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var decoding = new Dictionary<string, string?>();
            if (parse.GetValue(timeout) is { } seconds)
            {
                decoding[SettingKeys.DecodeTimeout] = TimeSpan.FromSeconds(Math.Clamp(seconds, 0.1, 3600)).ToString("c", CultureInfo.InvariantCulture);
            }

            if (parse.GetValue(workers) is { } count)
            {
                decoding[SettingKeys.DecodeWorkers] = count.ToString(CultureInfo.InvariantCulture);
            }

            using var engine = CliEngine.Create(parse, decoding, model, store);
            var folder = StoreFactory.LocalFolder(engine.IndexSettings);
            StoreFolder.EnsureWritable(folder);
            try
            {
                return await RunAsync(parse, engine, store.CollectionName(parse), targets, options, parse.GetValue(exact) ? ImageDecoding.Exact : ImageDecoding.Scaled,
                    parse.GetValue(watch), TimeSpan.FromMinutes(Math.Max(1, parse.GetValue(rescan))), parse.GetValue(json), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreFolder.TryExplain(e, folder, out var explained))
            {
                throw explained;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CliEngine engine, string name, string[] paths, IndexOptions options, ImageDecoding decoding,
        bool watch, TimeSpan rescan, bool json, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var context = engine.Store;
        using var writerLock = context.State.LockCollection(name);
        using var encoder = engine.ImageEncoders.Create(decoding);
        _ = encoder.WarmUpDecodersAsync(); // the decode workers start and compile their decode path while the image tower loads
        var collection = await engine.Collections.OpenOrCreateAsync(name, encoder, cancellationToken).ConfigureAwait(false);
        var indexer = new CollectionIndexer(collection, encoder, context.State, options, engine.Logging.CreateLogger("ClipSearch.Indexer"));
        await error.WriteLineAsync($"indexing {string.Join(", ", paths)} into collection '{name}' ({context.Description}) with {encoder.ModelId}").ConfigureAwait(false);

        // The watcher starts before the first pass, so that a file added, changed or deleted while that pass runs
        // starts another pass instead of waiting for the periodic rescan.
        using var watcher = watch ? new FolderWatcher(paths, rescan) : null;
        await PassAsync(indexer, paths, output, error, json, cancellationToken).ConfigureAwait(false);
        if (watcher is null)
        {
            if (context.Store is EmbeddedVectorStore embedded)
            {
                await GraphProgress.FinishAsync(embedded, name, error, cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }

        await error.WriteLineAsync($"watching for changes (Ctrl+C to stop; full rescan every {rescan.TotalMinutes:0} min)").ConfigureAwait(false);
        try
        {
            while (true)
            {
                await watcher.WaitForChangesAsync(cancellationToken).ConfigureAwait(false);
                await PassAsync(indexer, paths.Where(p => File.Exists(p) || Directory.Exists(p)).ToArray(), output, error, json, cancellationToken)
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
        IndexCancelledException? cancelled = null;
        try
        {
            summary = await indexer.RunAsync(paths, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (IndexCancelledException e)
        {
            // Stopped by a signal: what was written is kept and counted, and the next run goes on from there.
            (summary, cancelled) = (e.Summary, e);
        }
        finally
        {
            progress.Close();
        }

        await ReportAsync(summary, output, error, json, cancelled is not null).ConfigureAwait(false);
        if (cancelled is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cancelled);
        }

        return summary;
    }

    private static async Task ReportAsync(IndexSummary summary, TextWriter output, TextWriter error, bool json, bool cancelled)
    {
        foreach (var folder in summary.UnlistedFolders)
        {
            await error.WriteLineAsync($"warning: could not list {folder}; what the index holds from there was kept").ConfigureAwait(false);
        }

        var line = Describe(summary);
        await error.WriteLineAsync(cancelled ? "cancelled, " + line.Replace("done: ", "done so far: ", StringComparison.Ordinal) + "; run again to finish" : line)
            .ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(IndexOutput.From(summary, cancelled), CliJsonContext.Relaxed.IndexOutput)).ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    internal static string Describe(IndexSummary s)
    {
        var skipped = s.Skipped.Values.Sum();
        var reasons = skipped == 0 ? "" : " (" + string.Join(", ", s.Skipped.Select(kv => $"{kv.Key} {kv.Value}")) + "; see 'clipsearch skipped')";
        return string.Create(CultureInfo.InvariantCulture,
            $"done: {s.Indexed} indexed, {s.Updated} updated, {s.Moved} moved, {s.Unchanged} unchanged, {s.Deleted} deleted, {skipped} skipped{reasons}, " +
            $"{s.Ignored} not images; {s.Encoded} images encoded in {s.ElapsedSeconds:0.0} s ({s.ImagesPerSecond:0.0} images/s)");
    }

}
