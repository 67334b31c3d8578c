using System.Collections.Concurrent;
using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// The default vector store: one folder on disk, no server. SQLite (index.db, WAL, synchronous=FULL) is
/// the source of truth; each open collection is mirrored in memory for exact SIMD search and kept in step
/// with commits made by other processes. Thread-safe; one writer at a time across processes.
/// </summary>
public sealed class EmbeddedVectorStore : IVectorStore
{
    public const string BackendName = "embedded";

    private static readonly string[] DropStatements =
    [
        "DELETE FROM points WHERE collection = $n", "DELETE FROM point_vectors WHERE collection = $n", "DELETE FROM tombstones WHERE collection = $n", "DELETE FROM point_text WHERE collection = $n",
        .. LabelRows.DropCollectionSql,
        "DELETE FROM collections WHERE name = $n",
    ];

    private readonly IndexDatabase _db;
    private readonly EmbeddedStoreOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, EmbeddedCollection> _open = new(StringComparer.Ordinal);

    public EmbeddedVectorStore(EmbeddedStoreOptions options, ILogger<EmbeddedVectorStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _db = new IndexDatabase(options.Path, options.BusyTimeout);
    }

    public string Backend => BackendName;

    /// <summary>The index folder.</summary>
    public string Folder => _db.Folder;

    public Task<IVectorCollection> CreateCollectionAsync(string name, string modelId, int dimension, CancellationToken cancellationToken = default)
    {
        CollectionNames.Validate(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        if (dimension is < 1 or > 65536)
        {
            throw new VectorStoreException(VectorStoreErrorKind.InvalidRequest, $"Embedding dimension must be 1-65536, got {dimension}.");
        }

        _db.Run($"create collection '{name}'", connection =>
        {
            using var tx = connection.BeginTransaction();
            if (IndexDatabase.Scalar(connection, "SELECT 1 FROM collections WHERE name = $n", tx, ("$n", name)) is not null)
            {
                throw new VectorStoreException(VectorStoreErrorKind.CollectionExists, $"Collection '{name}' already exists in {_db.Folder}.",
                    $"Collection '{name}' already exists.", null);
            }

            using var insert = IndexDatabase.Command(connection, tx, "INSERT INTO collections(name, model_id, dimension, seq, generation) VALUES ($n, $m, $d, 0, $g)",
                ("$n", name), ("$m", modelId), ("$d", dimension), ("$g", Guid.NewGuid().ToString("N")));
            insert.ExecuteNonQuery();
            tx.Commit();
            return 0;
        });
        return OpenCollectionAsync(name, modelId, dimension, cancellationToken);
    }

    public Task<IVectorCollection> OpenCollectionAsync(string name, string? modelId, int? dimension, CancellationToken cancellationToken = default)
    {
        CollectionNames.Validate(name);
        var info = ReadCollection(name) ?? throw new VectorStoreException(VectorStoreErrorKind.CollectionNotFound,
            $"Collection '{name}' does not exist in {_db.Folder}; index some images into it first.",
            $"Collection '{name}' does not exist; index some images into it first.", null);
        if ((modelId is not null && modelId != info.ModelId) || (dimension is not null && dimension != info.Dimension))
        {
            throw new VectorStoreException(VectorStoreErrorKind.ModelMismatch,
                $"Collection '{name}' holds {info.Dimension}-dimensional embeddings of model '{info.ModelId}', but the model in use is '{modelId ?? info.ModelId}' ({dimension ?? info.Dimension} dimensions). Embeddings of different models cannot be compared: use that model, or re-index into a new collection.");
        }

        lock (_open)
        {
            if (_open.TryGetValue(name, out var existing) && existing.ModelId == info.ModelId && existing.Dimension == info.Dimension)
            {
                return Task.FromResult<IVectorCollection>(existing);
            }

            // The collection was dropped and created again with another model: the old mirror is obsolete.
            existing?.StopBackgroundWork();
            var collection = new EmbeddedCollection(_db, _options, name, info.ModelId, info.Dimension, _logger);
            _open[name] = collection;
            return Task.FromResult<IVectorCollection>(collection);
        }
    }

    public Task<IReadOnlyList<CollectionInfo>> ListCollectionsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CollectionInfo>>(_db.Run("list collections", connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT c.name, c.model_id, c.dimension, (SELECT COUNT(*) FROM points p WHERE p.collection = c.name) FROM collections c ORDER BY c.name";
            using var r = command.ExecuteReader();
            var list = new List<CollectionInfo>();
            while (r.Read())
            {
                list.Add(new CollectionInfo(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt64(3), BackendName));
            }

            return list;
        }));

    public Task<bool> DropCollectionAsync(string name, CancellationToken cancellationToken = default)
    {
        CollectionNames.Validate(name);
        var dropped = _db.Run($"drop collection '{name}'", connection =>
        {
            using var tx = connection.BeginTransaction();
            var n = 0;
            foreach (var sql in DropStatements)
            {
                using var command = IndexDatabase.Command(connection, tx, sql, ("$n", name));
                n = command.ExecuteNonQuery();
            }

            tx.Commit();
            return n > 0;
        });
        if (_open.TryRemove(name, out var open))
        {
            open.StopBackgroundWork();
        }

        return Task.FromResult(dropped);
    }

    /// <summary>
    /// Waits until the approximate index of <paramref name="name"/> holds every point, and with <paramref name="saved"/>
    /// until it is saved too (benchmarks, tests, a CLI that wants the graph ready before exiting). Searches never wait:
    /// they scan what it lacks.
    /// </summary>
    /// <param name="name">The collection.</param>
    /// <param name="saved">Also wait for the graph file to be written.</param>
    /// <param name="progress">Told how many points the graph holds when the wait begins and after each batch the background build adds.</param>
    /// <param name="cancellationToken">Stops waiting (the graph goes on being built in the background).</param>
    /// <returns>False when there was nothing to wait for (a collection below the graph threshold, or a graph already up to date and saved).</returns>
    public async Task<bool> WaitForApproximateIndexAsync(string name, bool saved = false, IProgress<ApproximateIndexProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var collection = (EmbeddedCollection)await OpenCollectionAsync(name, null, null, cancellationToken).ConfigureAwait(false);
        if (!collection.GraphBehind)
        {
            return false;
        }

        await (saved ? collection.WaitForGraphSavedAsync(cancellationToken, progress) : collection.WaitForGraphAsync(cancellationToken)).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Visits every stored row of <paramref name="name"/> once, split over <paramref name="workers"/> threads that each see
    /// blocks of consecutive slots (benchmarks: an exact ground truth straight from the memory-mapped rows). Writes wait meanwhile.
    /// </summary>
    public async Task VisitRowsAsync(string name, int workers, StoredRowsVisitor visit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visit);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        var collection = (EmbeddedCollection)await OpenCollectionAsync(name, null, null, cancellationToken).ConfigureAwait(false);
        collection.VisitRows(workers, visit, cancellationToken);
    }

    /// <summary>
    /// How <paramref name="name"/> was loaded by this store (benchmarks, diagnostics): whether its float32 rows were mapped
    /// from the row file its last clean close stamped (rather than read from the database), and whether its graph was
    /// reloaded from its saved file (rather than built).
    /// </summary>
    public async Task<(bool RowsRestored, bool GraphReloaded)> DescribeLoadAsync(string name, CancellationToken cancellationToken = default)
    {
        var collection = (EmbeddedCollection)await OpenCollectionAsync(name, null, null, cancellationToken).ConfigureAwait(false);
        return (collection.RowsRestored, collection.GraphLoadedFromFile);
    }

    private (string ModelId, int Dimension)? ReadCollection(string name) => _db.Run($"open collection '{name}'", connection =>
    {
        using var command = IndexDatabase.Command(connection, null, "SELECT model_id, dimension FROM collections WHERE name = $n", ("$n", name));
        using var r = command.ExecuteReader();
        return r.Read() ? (r.GetString(0), r.GetInt32(1)) : ((string, int)?)null;
    });

    public void Dispose()
    {
        foreach (var c in _open.Values)
        {
            c.Dispose();
        }

        _open.Clear();
        SqliteConnection.ClearAllPools();
    }
}
