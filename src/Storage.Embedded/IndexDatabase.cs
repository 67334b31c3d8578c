using System.Globalization;
using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// The SQLite file that is the embedded index's source of truth (index.db in the index folder): WAL
/// journal with synchronous=FULL, so a committed batch survives a crash or power loss and readers never
/// block the writer; one writer at a time across processes, a second waits up to the busy timeout.
/// </summary>
internal sealed class IndexDatabase
{
    public const string FileName = "index.db";
    // 2: the keyword index (point_text, point_words) and the points' metadata text (points.text). A version 1 store is
    // upgraded in place on open; a ClipSearch that reads version 1 refuses a version 2 store (its writes would leave the
    // keyword index behind).
    // 3: labels in their own table (point_labels, see LabelRows), no longer in points.labels nor among the keyword rows'
    // words. Versions 1 and 2 are upgraded in place on open, in the same transaction; a ClipSearch that reads version 2
    // refuses a version 3 store (it would read no labels and write them where this one no longer looks).
    // 4: vectors in their own table (point_vectors, keyed by the point's key), no longer in points.vector: a points row
    // is a few hundred bytes instead of 2 KB+, so a restart that maps the row file reads a fraction of the database, and
    // a write appends vectors in key order instead of rewriting random 16 KB pages of the points tree. Versions 1 to 3
    // are moved in place on open (the vectors copied, the column dropped), in the same transaction.
    // 5: label rows keyed by one integer, (label set id << 40) | point key, in label_rows, their sets named in label_sets,
    // and no index on their sequence numbers: each write logs the keys it wrote in label_changes, which other processes
    // read to catch up (see LabelRows). A label write appends to a rowid table in key order instead of inserting into a
    // tree keyed by (collection, random 128-bit id, set name) and its index. Versions 3 and 4 have their point_labels rows
    // copied over (then the table dropped), versions 1 and 2 their JSON labels moved straight into label_rows, and every
    // older collection starts its log at its current sequence number, in the same transaction.
    private const int SchemaVersion = 5;

    private readonly string _connectionString;
    private readonly int _busyMs;

    public IndexDatabase(string folder, TimeSpan busyTimeout)
    {
        Folder = Path.GetFullPath(folder);
        try
        {
            Directory.CreateDirectory(Folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VectorStoreException(VectorStoreErrorKind.Failed, $"Cannot create the index folder {Folder}: {e.Message}", "Cannot create the index folder.", e);
        }

        _busyMs = (int)busyTimeout.TotalMilliseconds;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Folder, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)busyTimeout.TotalSeconds),
        }.ToString();
        Run("create the schema", connection =>
        {
            // 16 KB pages (a new database only; an existing one keeps its size): a vector row holds 2 KB (512 floats),
            // and at SQLite's default 4 KB only one such row fits a page.
            Execute(connection, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL;");
            using var tx = connection.BeginTransaction();
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS collections(
                    name TEXT PRIMARY KEY, model_id TEXT NOT NULL, dimension INTEGER NOT NULL,
                    seq INTEGER NOT NULL DEFAULT 0, next_key INTEGER NOT NULL DEFAULT 0, generation TEXT NOT NULL,
                    label_log_from INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE IF NOT EXISTS points(
                    collection TEXT NOT NULL, id BLOB NOT NULL, key INTEGER NOT NULL, seq INTEGER NOT NULL,
                    path TEXT NOT NULL, root TEXT NOT NULL, size INTEGER NOT NULL, modified_ticks INTEGER NOT NULL,
                    content_hash TEXT, width INTEGER NOT NULL, height INTEGER NOT NULL, format TEXT,
                    taken_ticks INTEGER, labels TEXT, text TEXT,
                    PRIMARY KEY(collection, id)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS points_by_seq ON points(collection, seq);
                CREATE TABLE IF NOT EXISTS point_vectors(
                    collection TEXT NOT NULL, key INTEGER NOT NULL, vector BLOB NOT NULL, PRIMARY KEY(collection, key));
                CREATE TABLE IF NOT EXISTS tombstones(
                    collection TEXT NOT NULL, seq INTEGER NOT NULL, id BLOB NOT NULL,
                    PRIMARY KEY(collection, seq, id)) WITHOUT ROWID;
                """, tx);
            var version = Scalar(connection, "SELECT value FROM meta WHERE key = 'schema_version'", tx);
            var found = version is null ? SchemaVersion : Convert.ToInt32(version, CultureInfo.InvariantCulture);
            if (found is < 1 or > SchemaVersion)
            {
                throw new VectorStoreException(VectorStoreErrorKind.Failed, $"{Path.Combine(Folder, FileName)} has index schema version {version}; this ClipSearch reads versions 1 to {SchemaVersion}.");
            }

            if (Scalar(connection, "SELECT 1 FROM pragma_table_info('points') WHERE name = 'text'", tx) is null)
            {
                Execute(connection, "ALTER TABLE points ADD COLUMN text TEXT", tx); // version 1: no metadata text yet
            }

            KeywordRows.Ensure(connection, tx);
            Execute(connection, LabelRows.Schema, tx);
            if (Scalar(connection, "SELECT 1 FROM pragma_table_info('collections') WHERE name = 'label_log_from'", tx) is null)
            {
                LabelRows.StartLog(connection, tx); // versions 1 to 4
            }

            if (found < 3 || version is null)
            {
                LabelRows.MoveOutOfPoints(connection, tx);
            }

            if (Scalar(connection, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'point_labels'", tx) is not null)
            {
                LabelRows.MoveToIntegerKeys(connection, tx); // versions 3 and 4
            }

            if (Scalar(connection, "SELECT 1 FROM pragma_table_info('points') WHERE name = 'vector'", tx) is not null)
            {
                // Versions 1 to 3: the vectors move to their own table (in key order, so that table is written sequentially).
                Execute(connection, """
                    INSERT OR REPLACE INTO point_vectors(collection, key, vector) SELECT collection, key, vector FROM points ORDER BY collection, key;
                    ALTER TABLE points DROP COLUMN vector;
                    """, tx);
            }

            if (found != SchemaVersion || version is null)
            {
                Execute(connection, $"INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '{SchemaVersion}')", tx);
            }

            tx.Commit();
            return 0;
        });
    }

    public string Folder { get; }

    /// <summary>Opens a connection with the durability and locking settings every connection needs.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={_busyMs}; PRAGMA foreign_keys=ON;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> on a fresh connection, mapping SQLite failures to <see cref="VectorStoreException"/>.</summary>
    public T Run<T>(string doing, Func<SqliteConnection, T> work)
    {
        try
        {
            using var connection = Open();
            return work(connection);
        }
        catch (SqliteException e)
        {
            throw Wrap(e, doing);
        }
    }

    public VectorStoreException Wrap(SqliteException e, string doing) => e.SqliteErrorCode switch
    {
        5 or 6 => new VectorStoreException(VectorStoreErrorKind.Busy,
            $"Could not {doing}: the index at {Folder} is being written by another process (a running 'clipsearch index' or API); try again when it has finished.",
            $"Could not {doing}: the index is being written by another process; try again when it has finished.", e),
        11 or 26 => new VectorStoreException(VectorStoreErrorKind.Failed,
            $"Could not {doing}: {Path.Combine(Folder, FileName)} is damaged or not a ClipSearch index ({e.Message}).",
            $"Could not {doing}: the index is damaged.", e),
        _ => new VectorStoreException(VectorStoreErrorKind.Failed, $"Could not {doing} in the index at {Folder}: {e.Message}",
            $"Could not {doing}: the index failed; the error is in the server's log.", e),
    };

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        command.ExecuteNonQuery();
    }

    /// <summary>A command in <paramref name="tx"/> with its parameters bound (null binds SQL NULL).</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        var result = command.ExecuteScalar();
        return result is DBNull ? null : result;
    }
}
