using System.Collections.Concurrent;
using System.Diagnostics;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClipSearch.Indexing;

/// <summary>
/// Brings a collection in line with folders on disk: new files are embedded, changed ones re-embedded, moved
/// and duplicate files reuse the embedding of identical content, deleted ones are removed, and every file that
/// cannot be indexed is recorded with its reason.
/// <para>
/// Pipeline: the scan and the comparison with the index decide the work; files are read, hashed and decoded in
/// parallel (decoding in worker processes); decoded images are encoded in batches; finished points are written
/// in batches, each durable before it is counted. Queues between the stages are bounded, so memory stays flat
/// whatever the folder's size. Nothing is written that a later run would not also write, and a file counts as
/// done only once its batch is durable: a run killed at any moment is resumed by running it again.
/// </para>
/// </summary>
public sealed partial class CollectionIndexer
{
    private readonly IVectorCollection _collection;
    private readonly IImageEncoder _encoder;
    private readonly IndexerState _state;
    private readonly IndexOptions _options;
    private readonly ILogger _logger;

    /// <param name="collection">The collection to fill; its model must be <paramref name="encoder"/>'s.</param>
    /// <param name="encoder">Decodes files (within its limits) and embeds them.</param>
    /// <param name="state">Where skipped files are remembered.</param>
    /// <param name="options">How the run works.</param>
    /// <param name="logger">Logs skipped files and unlisted folders.</param>
    public CollectionIndexer(IVectorCollection collection, IImageEncoder encoder, IndexerState state, IndexOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(encoder);
        if (collection.ModelId != encoder.ModelId || collection.Dimension != encoder.Dimension)
        {
            throw new ArgumentException($"collection '{collection.Name}' holds embeddings of {collection.ModelId}, not of the encoder's {encoder.ModelId}", nameof(encoder));
        }

        _collection = collection;
        _encoder = encoder;
        _state = state;
        _options = options ?? new IndexOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Indexes <paramref name="paths"/> (folders or single files).</summary>
    /// <exception cref="ArgumentException">A path does not exist.</exception>
    /// <exception cref="IndexCancelledException">
    /// <paramref name="cancellationToken"/> was cancelled: files finished by then were written, and the exception's summary counts them.
    /// </exception>
    public async Task<IndexSummary> RunAsync(IReadOnlyList<string> paths, IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var clock = Stopwatch.StartNew();
        RunCounters? counters = null;
        ChangeSet? changes = null;
        try
        {
            progress?.Report(new IndexProgress("scanning", 0, 0, 0, 0, clock.Elapsed));
            var stored = await LoadStoredAsync(cancellationToken).ConfigureAwait(false);
            var scopes = Scope.Resolve(paths, stored.Values.Select(s => s.Payload.Root).ToHashSet(StringComparer.Ordinal));
            var skippedBefore = _state.Skipped(_collection.Name);

            // Scanned scope by scope while the change set is worked out, so that the progress line counts as it goes.
            changes = ChangeSet.Compute(stored, scopes.Select(s => Scan(s, cancellationToken)), skippedBefore, scopes, _options.RetrySkipped,
                toDo => progress?.Report(new IndexProgress("scanning", toDo, 0, 0, 0, clock.Elapsed)));
            counters = new RunCounters(changes.Work.Count, changes.Unchanged, progress, clock);
            var pendingDeletes = new ConcurrentDictionary<Guid, StoredPoint>(changes.PendingDeletes);
            if (changes.Work.Count > 0)
            {
                counters.Report("indexing");
                var files = new FileProcessor(_collection, new ContentReader(_collection, _encoder, stored.Values, counters), pendingDeletes, counters);
                await new IndexPipeline(_collection, _encoder, _state, _options, counters, _logger).RunAsync(changes.Work, files, cancellationToken).ConfigureAwait(false);
            }

            counters.Report("finishing");
            var gone = pendingDeletes.Keys.ToList(); // what no move claimed
            for (var i = 0; i < gone.Count; i += 1000)
            {
                counters.AddDeleted(await _collection.DeleteAsync(gone.Skip(i).Take(1000).ToList(), cancellationToken).ConfigureAwait(false));
            }

            _state.Update(_collection.Name, [], changes.SkipsToForget);
            return counters.Summary(changes.Remembered.Values, changes.UnlistedFolders);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested && e is not IndexCancelledException)
        {
            var summary = counters is null || changes is null
                ? new IndexSummary { ElapsedSeconds = clock.Elapsed.TotalSeconds }
                : counters.Summary(changes.Remembered.Values, changes.UnlistedFolders);
            throw new IndexCancelledException(summary, e);
        }
    }

    /// <summary>What the index holds, by absolute path (payloads only).</summary>
    private async Task<Dictionary<string, StoredPoint>> LoadStoredAsync(CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, StoredPoint>(StringComparer.Ordinal);
        await foreach (var batch in _collection.ScrollAsync(null, 2000, withVectors: false, cancellationToken).ConfigureAwait(false))
        {
            foreach (var point in batch)
            {
                stored[point.Payload.FullPath] = point;
            }
        }

        return stored;
    }

    private ScanResult Scan(Scope scope, CancellationToken cancellationToken)
    {
        var result = scope.Scan(_options.Scan, cancellationToken);
        foreach (var (folder, error) in result.UnlistedFolders)
        {
            LogUnlisted(_logger, folder, error);
        }

        return result;
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Cannot list {Folder}: {Error}. What the index holds from there is kept.")]
    private static partial void LogUnlisted(ILogger logger, string folder, string error);
}
