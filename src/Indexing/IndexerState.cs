using ClipSearch.Core;
using Microsoft.Data.Sqlite;

namespace ClipSearch.Indexing;

/// <summary>A file the indexer could not index, and why.</summary>
/// <param name="Path">Absolute path.</param>
/// <param name="Size">Length in bytes when it was tried.</param>
/// <param name="ModifiedAt">Last write time when it was tried: the file is tried again once this changes.</param>
/// <param name="Failure">The reason and its detail.</param>
public sealed record SkippedFile(string Path, long Size, DateTimeOffset ModifiedAt, ImageFailure Failure);

/// <summary>
/// What the indexer remembers beside the vector index: the files it skipped (so they are listed, and not
/// retried until they change) and the lock that keeps a second indexer off a collection. Kept in one SQLite
/// file (<c>indexer-state.db</c>): inside the store folder for the embedded index, in a local state folder for
/// Qdrant. Every write is durable when the call returns.
/// </summary>
public sealed class IndexerState : IDisposable
{
    public const string FileName = "indexer-state.db";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private IndexerState(string folder, SqliteConnection connection)
    {
        Folder = folder;
        _connection = connection;
    }

    public string Folder { get; }

    public static IndexerState Open(string folder)
    {
        Directory.CreateDirectory(folder);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        var state = new IndexerState(folder, connection);
        state.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;");
        state.Execute("""
            CREATE TABLE IF NOT EXISTS skipped (
                collection TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
                reason TEXT NOT NULL, detail TEXT NOT NULL,
                PRIMARY KEY (collection, path)) WITHOUT ROWID;
            """);
        return state;
    }

    /// <summary>Skipped files of a collection, by path.</summary>
    public Dictionary<string, SkippedFile> Skipped(string collection)
    {
        var result = new Dictionary<string, SkippedFile>(StringComparer.Ordinal);
        lock (_gate)
        {
            using var command = Command("SELECT path, size, mtime, reason, detail FROM skipped WHERE collection = $c ORDER BY path", ("$c", collection));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var reason = Enum.TryParse<SkipReason>(reader.GetString(3), out var r) ? r : SkipReason.Corrupt;
                result[reader.GetString(0)] = new SkippedFile(reader.GetString(0), reader.GetInt64(1),
                    new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero), new ImageFailure(reason, reader.GetString(4)));
            }
        }

        return result;
    }

    /// <summary>Records <paramref name="skipped"/> and forgets <paramref name="forget"/>, in one transaction.</summary>
    public void Update(string collection, IReadOnlyCollection<SkippedFile> skipped, IReadOnlyCollection<string> forget)
    {
        if (skipped.Count == 0 && forget.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var s in skipped)
            {
                using var insert = Command("INSERT OR REPLACE INTO skipped VALUES ($c, $p, $s, $m, $r, $d)",
                    ("$c", collection), ("$p", s.Path), ("$s", s.Size), ("$m", s.ModifiedAt.UtcTicks), ("$r", s.Failure.Reason.ToString()),
                    ("$d", s.Failure.Detail));
                insert.Transaction = transaction;
                insert.ExecuteNonQuery();
            }

            foreach (var path in forget)
            {
                using var delete = Command("DELETE FROM skipped WHERE collection = $c AND path = $p", ("$c", collection), ("$p", path));
                delete.Transaction = transaction;
                delete.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>Forgets everything about a collection (when it is dropped).</summary>
    public void Forget(string collection)
    {
        lock (_gate)
        {
            using var command = Command("DELETE FROM skipped WHERE collection = $c", ("$c", collection));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Takes the indexing lock of a collection, held until the returned object is disposed or the process ends
    /// (however it ends: the operating system releases it). Throws <see cref="IndexerBusyException"/> when
    /// another process holds it.
    /// </summary>
    public IDisposable LockCollection(string collection)
    {
        var path = Path.Combine(Folder, $"{Uri.EscapeDataString(collection)}.index.lock");
        var holderPath = path + ".pid"; // beside the lock: the locked file itself cannot be read by others
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(holderPath, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return stream;
        }
        catch (IOException)
        {
            string holder;
            try
            {
                holder = File.ReadAllText(holderPath).Trim();
            }
            catch (IOException)
            {
                holder = "";
            }

            throw new IndexerBusyException(
                $"another 'clipsearch index' is writing to collection '{collection}'{(holder.Length > 0 ? $" (process {holder})" : "")}; " +
                "wait for it to finish or stop it, then run again. Searching meanwhile is fine.");
        }
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public void Dispose() => _connection.Dispose();
}

/// <summary>Another indexer holds the collection.</summary>
public sealed class IndexerBusyException(string message) : Exception(message);
