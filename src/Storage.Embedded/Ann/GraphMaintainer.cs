using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>
/// Keeps one collection's HNSW graph in step with its table, in the background: writers only mark slots
/// (indexing never waits for the graph), this loop adds what the graph lacks and removes what left, and
/// saves the graph beside the database so a restart reloads it instead of rebuilding. Searches use the
/// graph for the points it holds and scan the rest exactly, so results never miss recent writes.
/// </summary>
internal sealed partial class GraphMaintainer : IDisposable
{
    private const int AddChunk = 4096;
    private static readonly TimeSpan SaveAfterIdle = TimeSpan.FromSeconds(2);

    private readonly VectorTable _table;
    private readonly AnnOptions _options;
    private readonly string _folder;
    private readonly string _collection;
    private readonly ConcurrentQueue<long> _removed = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private AnnIndex? _index;
    private string _generation = string.Empty;
    private long _changesSinceSave;
    private volatile bool _saveNow;
    private volatile bool _caughtUp;

    private readonly ILogger _logger;

    public GraphMaintainer(VectorTable table, AnnOptions options, string folder, string collection, ILogger logger)
    {
        _logger = logger;
        _table = table;
        _options = options;
        _folder = Path.Combine(folder, "ann");
        _collection = collection;
        table.KeyRemoved += key => _removed.Enqueue(key);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The graph when it exists and holds most of the collection; null means: search exactly.</summary>
    public AnnIndex? Index => _index is { } index && _caughtUp ? index : null;

    /// <summary>Whether the graph in use was reloaded from its saved file rather than built.</summary>
    public bool LoadedFromFile { get; private set; }

    /// <summary>Set when the last background pass failed (the store keeps answering exactly meanwhile).</summary>
    public string? LastError { get; private set; }

    public void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>Waits until the graph holds every point (benchmarks, tests, the CLI before it exits; searches never wait).</summary>
    public async Task WaitUntilCaughtUpAsync(CancellationToken cancellationToken, IProgress<ApproximateIndexProgress>? progress = null)
    {
        Signal();
        while (Pending() != 0 || (BigEnough() && !_caughtUp))
        {
            if (LastError is { } error)
            {
                throw new InvalidOperationException(error);
            }

            progress?.Report(Status());
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            Signal();
        }
    }

    /// <summary>Waits until the graph holds every point and is saved (benchmarks: the save then no longer competes with what they time).</summary>
    public async Task WaitUntilSavedAsync(CancellationToken cancellationToken, IProgress<ApproximateIndexProgress>? progress = null)
    {
        await WaitUntilCaughtUpAsync(cancellationToken, progress).ConfigureAwait(false);
        _saveNow = true;
        try
        {
            while (_index is not null && Interlocked.Read(ref _changesSinceSave) > 0)
            {
                if (LastError is { } error)
                {
                    throw new InvalidOperationException(error);
                }

                Signal();
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _saveNow = false;
        }
    }

    /// <summary>Whether the collection is due a graph and the graph lacks points or has changes not saved yet.</summary>
    public bool Behind => BigEnough() && (Pending() != 0 || !_caughtUp || Interlocked.Read(ref _changesSinceSave) > 0);

    private ApproximateIndexProgress Status()
    {
        using (_table.ReadLock())
        {
            return new ApproximateIndexProgress(Math.Max(0, _table.Count - _table.OutsideGraphCount), _table.Count);
        }
    }

    private bool BigEnough()
    {
        using (_table.ReadLock())
        {
            return _table.Count >= _options.Threshold;
        }
    }

    private int Pending()
    {
        using (_table.ReadLock())
        {
            return _table.Count < _options.Threshold ? 0 : _table.OutsideGraphCount;
        }
    }

    private async Task RunAsync()
    {
        var lastWork = DateTime.UtcNow;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(SaveAfterIdle, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                if (Work())
                {
                    lastWork = DateTime.UtcNow;
                }
                else if (Interlocked.Read(ref _changesSinceSave) > 0 && (_saveNow || DateTime.UtcNow - lastWork >= SaveAfterIdle))
                {
                    Save();
                }

                LastError = null;
            }
#pragma warning disable CA1031 // A failing background pass must not end the loop; searches fall back to exact.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LastError = $"{e.GetType().Name}: {e.Message}";
                LogGraphFailed(_logger, _collection, e);
            }
        }
    }

    /// <summary>One pass: create or reload the graph if due, apply removals, add what it lacks. True when anything changed.</summary>
    private bool Work()
    {
        if (!EnsureIndex())
        {
            return false;
        }

        var changed = false;
        while (_removed.TryDequeue(out var key))
        {
            _index!.Remove((ulong)key);
            Interlocked.Increment(ref _changesSinceSave);
            changed = true;
        }

        if (_index!.TooManyTombstones)
        {
            // Tombstones still cost search time and memory: past a quarter of the live points, build afresh.
            Rebuild();
            changed = true;
        }

        while (true)
        {
            List<(int Slot, long Key, int Version)> batch;
            float[] vectors;
            using (_table.ReadLock())
            {
                batch = _table.OutsideGraph(AddChunk);
                vectors = new float[batch.Count * _table.Dimension];
                for (var i = 0; i < batch.Count; i++)
                {
                    _table.VectorAt(batch[i].Slot).CopyTo(vectors.AsSpan(i * _table.Dimension));
                }

                if (_index!.Capacity < _table.Count + batch.Count)
                {
                    _index.Reserve(Math.Max(_table.Count + batch.Count, 1024));
                }
            }

            if (batch.Count == 0)
            {
                break;
            }

            var dimension = _table.Dimension;
            Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.BuildThreads },
                i => _index.Add((ulong)batch[i].Key, vectors.AsSpan(i * dimension, dimension)));
            // Exclusively: a search must see each slot either in the graph or outside it from start to end. A slot
            // marked between its graph search and its scan of the points outside the graph would be in neither.
            using (_table.WriteLock())
            {
                foreach (var (slot, _, version) in batch)
                {
                    _table.MarkInGraph(slot, version);
                }
            }

            Interlocked.Add(ref _changesSinceSave, batch.Count);
            changed = true;
            if (_index.TooManyTombstones)
            {
                // Re-added (changed) points left tombstones behind: once past the limit, build afresh right away.
                Rebuild();
            }
        }

        _caughtUp = true;
        return changed;
    }

    private bool EnsureIndex()
    {
        string generation;
        int count;
        using (_table.ReadLock())
        {
            generation = _table.Generation;
            count = _table.Count;
        }

        if (_index is not null && generation == _generation)
        {
            return true;
        }

        _index?.Dispose();
        _index = null;
        _caughtUp = false;
        if (count < _options.Threshold || generation.Length == 0)
        {
            return false;
        }

        _generation = generation;
        while (_removed.TryDequeue(out _))
        {
        }

        var loaded = TryLoad(generation);
        LoadedFromFile = loaded is not null;
        _index = loaded ?? NewIndex();
        return true;
    }

    /// <summary>An empty graph whose int8 scale fits the collection's vectors (sampled from the table).</summary>
    private AnnIndex NewIndex()
    {
        const int SampleRows = 4096;
        var max = 0f;
        using (_table.ReadLock())
        {
            var step = Math.Max(1, _table.HighWater / SampleRows);
            for (var slot = 0; slot < _table.HighWater; slot += step)
            {
                if (_table.PayloadAt(slot) is not null)
                {
                    max = Math.Max(max, System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(_table.VectorAt(slot)));
                }
            }
        }

        var index = AnnIndex.Create(_table.Dimension, _options, AnnIndex.ScaleFor([max]));
        index.ExpansionSearch = _options.ExpansionSearch;
        return index;
    }

    private void Rebuild()
    {
        var old = _index;
        _caughtUp = false;
        _index = null;
        old?.Dispose();
        while (_removed.TryDequeue(out _))
        {
        }

        using (_table.ReadLock())
        {
            _table.ClearGraphMarks();
        }

        _index = NewIndex();
    }

    /// <summary>Reloads the saved graph of this collection incarnation, marking the slots it still holds; null when absent, unreadable or too stale.</summary>
    private AnnIndex? TryLoad(string generation)
    {
        var path = GraphPath(generation);
        if (!File.Exists(path) || !File.Exists(path + ".seq"))
        {
            return null;
        }

        AnnIndex? index = null;
        try
        {
            var savedSeq = long.Parse(File.ReadAllText(path + ".seq"), CultureInfo.InvariantCulture);
            index = AnnIndex.Load(path, _table.Dimension, _options);
            index.ExpansionSearch = _options.ExpansionSearch;
            using (_table.ReadLock())
            {
                _table.ClearGraphMarks();
                for (var slot = 0; slot < _table.HighWater; slot++)
                {
                    if (_table.PayloadAt(slot) is not null && _table.RowSeqAt(slot) <= savedSeq)
                    {
                        _table.MarkInGraph(slot, _table.VersionAt(slot));
                    }
                }

                // Points deleted since the save (by another process, or before a crash) become tombstones now, so
                // they take no place among a search's candidates. Changed ones are re-added by the next pass.
                index.RemoveWhere(key => !_table.TryGetByKey((long)key, out _));
            }

            // Past a quarter of tombstones, build afresh rather than walk through them.
            if (index.TooManyTombstones)
            {
                index.Dispose();
                using (_table.ReadLock())
                {
                    _table.ClearGraphMarks();
                }

                return null;
            }

            return index;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or InvalidDataException)
        {
            index?.Dispose();
            return null;
        }
    }

    private void Save()
    {
        if (_index is null)
        {
            return;
        }

        long seq;
        using (_table.ReadLock())
        {
            // The saved graph is trusted only for rows no newer than this, and only if nothing is pending.
            if (_table.OutsideGraphCount > 0)
            {
                return;
            }

            seq = _table.Seq;
        }

        Directory.CreateDirectory(_folder);
        foreach (var old in Directory.EnumerateFiles(_folder, _collection + "-*").Where(IsStaleFile))
        {
            File.Delete(old);
        }

        var path = GraphPath(_generation);
        _index.Save(path);
        File.WriteAllText(path + ".seq", seq.ToString(CultureInfo.InvariantCulture));
        Interlocked.Exchange(ref _changesSinceSave, 0);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Maintaining the approximate index of collection {Collection} failed; searches stay exact until it recovers")]
    private static partial void LogGraphFailed(ILogger logger, string collection, Exception exception);

    private string GraphPath(string generation) => Path.Combine(_folder, $"{_collection}-{generation}.hnsw");

    /// <summary>
    /// A graph file of this collection from an earlier incarnation (or an older format: .usearch) that can go.
    /// Names are matched whole: "photos-2024" is another collection, not a generation of "photos".
    /// </summary>
    private bool IsStaleFile(string path)
    {
        var name = Path.GetFileName(path);
        var match = GraphFileName().Match(name);
        return match.Success && match.Groups["collection"].Value == _collection && match.Groups["generation"].Value != _generation;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<collection>.+)-(?<generation>[0-9a-f]{32})\.(hnsw|usearch)(\.seq|\.tmp)?$")]
    private static partial System.Text.RegularExpressions.Regex GraphFileName();

    /// <summary>Stops background work without saving (the collection was dropped).</summary>
    public void Stop()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
        }

        Interlocked.Exchange(ref _changesSinceSave, 0);
        _index?.Dispose();
        _index = null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
        }

        try
        {
            // Catch up with the last writes so the saved graph covers everything and the next start just loads it.
            if (_index is not null && Work() | _changesSinceSave > 0)
            {
                Save();
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // The graph is a cache of the database: a failed save only costs a rebuild next time.
        }

        _index?.Dispose();
        _signal.Dispose();
        _stop.Dispose();
    }
}
