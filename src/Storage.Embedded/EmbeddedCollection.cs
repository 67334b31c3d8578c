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
        _table = new VectorTable(dimension, options.ScanPrecision == ScanPrecision.Int8Rerank);
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

    /// <summary>Brings the in-memory mirror up to date with the database.</summary>
    private void Refresh()
    {
        lock (_refreshGate)
        {
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

    private void ApplyChanges(SqliteConnection connection, SqliteTransaction tx, long since, bool full, long seq, string generation)
    {
        var removed = new List<Guid>();
        if (!full)
        {
            using var tombs = IndexDatabase.Command(connection, tx, "SELECT id FROM tombstones WHERE collection = $c AND seq > $s ORDER BY seq", ("$c", Name), ("$s", since));
            using var r = tombs.ExecuteReader();
            while (r.Read())
            {
                removed.Add(PointRows.ReadId(r, 0));
            }
        }

        var rows = new List<StoredRow>();
        using (var points = IndexDatabase.Command(connection, tx, $"SELECT {PointRows.Columns} FROM points WHERE collection = $c AND seq > $s", ("$c", Name), ("$s", since)))
        {
            using var r = points.ExecuteReader();
            while (r.Read())
            {
                rows.Add(PointRows.Read(r));
            }
        }

        // Label rows written since: all of a re-read point's (an upsert rewrote them), and label writes to points the mirror holds.
        var labels = new Dictionary<Guid, Dictionary<string, LabelAssignment?>>();
        using (var changed = IndexDatabase.Command(connection, tx, LabelRows.ChangedSql, ("$c", Name), ("$s", since)))
        {
            using var r = changed.ExecuteReader();
            var strings = new HashSet<string>(StringComparer.Ordinal);
            while (r.Read())
            {
                var (id, set, label) = LabelRows.Read(r, strings);
                if (!labels.TryGetValue(id, out var sets))
                {
                    labels[id] = sets = new Dictionary<string, LabelAssignment?>(1, StringComparer.Ordinal);
                }

                sets[set] = label;
            }
        }

        using var write = _table.WriteLock();
        if (full)
        {
            _table.Clear();
        }

        foreach (var id in removed)
        {
            _table.Remove(id);
        }

        foreach (var row in rows)
        {
            var payload = labels.Remove(row.Id, out var sets) ? row.Payload with { Labels = Assigned(ImagePayload.NoLabels, sets) } : row.Payload;
            _table.Upsert(row.Id, row.Key, row.Seq, row.Vector, payload);
        }

        foreach (var (id, sets) in labels)
        {
            if (_table.TryGet(id, out var slot) && _table.PayloadAt(slot) is { } payload)
            {
                _table.SetPayload(id, payload with { Labels = Assigned(payload.Labels, sets) });
            }
        }

        _table.Seq = seq;
        _table.Generation = generation;
    }

    // The labels a point has after these label rows (a null assignment: the set was cleared).
    private static IReadOnlyDictionary<string, LabelAssignment> Assigned(IReadOnlyDictionary<string, LabelAssignment> before, Dictionary<string, LabelAssignment?> sets)
    {
        var labels = new Dictionary<string, LabelAssignment>(before, StringComparer.Ordinal);
        foreach (var (set, label) in sets)
        {
            if (label is null)
            {
                labels.Remove(set);
            }
            else
            {
                labels[set] = label;
            }
        }

        return labels.Count == 0 ? ImagePayload.NoLabels : labels;
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

    /// <summary>Stops the graph maintenance of a collection that was dropped (its mirror then only reports that it is gone).</summary>
    internal void StopBackgroundWork() => _graph?.Stop();

    public void Dispose()
    {
        _graph?.Dispose();
        lock (_refreshGate)
        {
            _dataVersion?.Dispose();
            _reader?.Dispose();
            _reader = null;
        }

        _writeGate.Dispose();
        _table.Dispose();
    }
}
