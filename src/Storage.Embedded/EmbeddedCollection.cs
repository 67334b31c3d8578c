using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded.Ann;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// One collection of the embedded store: SQLite rows mirrored in a <see cref="VectorTable"/>. Before each
/// operation the mirror catches up with commits from other processes (cheaply detected through SQLite's
/// data_version, then read incrementally by change sequence number).
/// </summary>
internal sealed partial class EmbeddedCollection : IVectorCollection, IVectorBatchReader, IDisposable
{
    private readonly IndexDatabase _db;
    private readonly EmbeddedStoreOptions _options;
    private readonly VectorTable _table;
    private readonly GraphMaintainer? _graph;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile bool _closed;
    private readonly Lock _refreshGate = new();
    private SqliteConnection? _reader;
    private SqliteCommand? _dataVersion;
    private long _lastDataVersion = long.MinValue;
    private bool _loaded;

    public EmbeddedCollection(IndexDatabase db, EmbeddedStoreOptions options, string name, string modelId, int dimension, ILogger logger)
    {
        _db = db;
        _options = options;
        Name = name;
        ModelId = modelId;
        Dimension = dimension;
        _table = new VectorTable(dimension, new RowFiles(db.Folder, name), options.ScanPrecision == ScanPrecision.Int8Rerank);
        _graph = options.SearchMode == SearchMode.Auto ? new GraphMaintainer(_table, options.Ann, new AnnIndexFactory(options.Ann), new GraphFile(db.Folder, name), name, logger) : null;
    }

    public string Name { get; }

    public string ModelId { get; }

    public int Dimension { get; }

    public Task<CollectionInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        Refresh();
        return Task.FromResult(new CollectionInfo(Name, ModelId, Dimension, Read(() => (long)_table.Count), EmbeddedVectorStore.BackendName));
    }

    /// <summary>
    /// Brings the in-memory mirror up to date with the database. <paramref name="insideWriteGate"/>: called by a write
    /// holding the write gate, which a close waits for before it disposes anything, so even a closing collection is
    /// still whole for it (a committed write catching up must not fail as if it had been refused).
    /// </summary>
    private void Refresh(bool insideWriteGate = false)
    {
        lock (_refreshGate)
        {
            ObjectDisposedException.ThrowIf(_closed && !insideWriteGate, this); // not a connection opened again after the store closed
            try
            {
                _reader ??= _db.Open();
                if (_dataVersion is null)
                {
                    _dataVersion = _reader.CreateCommand();
                    _dataVersion.CommandText = "PRAGMA data_version";
                }

                // One cheap statement per operation tells whether any other connection committed since.
                var version = (long)_dataVersion.ExecuteScalar()!;
                if (_loaded && version == _lastDataVersion)
                {
                    return;
                }

                using var tx = _reader.BeginTransaction(deferred: true);
                var (seq, generation) = ReadState(_reader, tx);
                var full = !_loaded || generation != _table.Generation;
                if (full || seq != _table.Seq)
                {
                    ApplyChanges(_reader, tx, full ? -1 : _table.Seq, full, seq, generation);
                }

                tx.Commit();
                _lastDataVersion = version;
                _loaded = true;
                _graph?.Signal();
            }
            catch (SqliteException e)
            {
                throw _db.Wrap(e, $"read collection '{Name}'");
            }
        }
    }

    private (long Seq, string Generation) ReadState(SqliteConnection connection, SqliteTransaction tx)
    {
        using var command = IndexDatabase.Command(connection, tx, "SELECT seq, generation FROM collections WHERE name = $n", ("$n", Name));
        using var r = command.ExecuteReader();
        return r.Read()
            ? (r.GetInt64(0), r.GetString(1))
            : throw new VectorStoreException(VectorStoreErrorKind.CollectionNotFound, $"Collection '{Name}' no longer exists in {_db.Folder} (it was dropped).",
                $"Collection '{Name}' no longer exists (it was dropped).", null);
    }

    private T Read<T>(Func<T> read)
    {
        using var hold = _table.ReadLock();
        return read();
    }

    internal bool GraphLoadedFromFile => _graph?.LoadedFromFile ?? false;

    /// <summary>Tombstones in the graph in use (nodes of deleted or changed points), 0 without one (diagnostics for tests).</summary>
    internal int GraphTombstones => _graph?.Index?.Dead ?? 0;

    /// <summary>Waits until the approximate index holds every point (benchmarks and tests; searches never wait).</summary>
    internal Task WaitForGraphAsync(CancellationToken cancellationToken)
    {
        Refresh();
        return _graph?.WaitUntilCaughtUpAsync(cancellationToken) ?? Task.CompletedTask;
    }

    /// <summary>Waits until the approximate index holds every point and is saved (benchmarks, the CLI before it exits).</summary>
    internal Task WaitForGraphSavedAsync(CancellationToken cancellationToken, IProgress<ApproximateIndexProgress>? progress = null)
    {
        Refresh();
        return _graph?.WaitUntilSavedAsync(cancellationToken, progress) ?? Task.CompletedTask;
    }

    /// <summary>Whether this collection is large enough to have an approximate index and it lacks points or an up-to-date save.</summary>
    internal bool GraphBehind
    {
        get
        {
            Refresh();
            return _graph?.Behind ?? false;
        }
    }

    /// <summary>Stops the graph maintenance of a collection that was dropped and deletes its row file (its mirror then only reports that it is gone).</summary>
    internal void StopBackgroundWork()
    {
        _graph?.Stop();
        using var write = _table.WriteLock();
        _table.DropRows();
    }

    public void Dispose()
    {
        // Writes that get the gate from now on are refused (so a caller writing in a loop cannot starve the close),
        // and the write in flight finishes (its commit and its update of the mirror) before the graph and the table
        // go: a write refused is one not committed, and one committed returns normally. The gate itself is never
        // disposed: a write queued for it must still get in to learn that the collection is closed.
        _closed = true;
        _writeGate.Wait();
        _writeGate.Release();
        _graph?.Dispose();
        try
        {
            using (_table.WriteLock())
            {
                _table.SaveRows();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The row file is a cache of the database: without its stamp the next start rebuilds it.
        }

        lock (_refreshGate)
        {
            _dataVersion?.Dispose();
            _reader?.Dispose();
            _reader = null;
        }

        _table.Dispose();
    }
}
