using System.Runtime.InteropServices;
using System.Text.Json;
using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// Labels in their own table (schema 5): one small row per point and label set, keyed by one integer,
/// <c>(label set id &lt;&lt; 40) | point key</c>, with no secondary index, so categorizing writes a few dozen bytes per
/// image into SQLite's fastest table shape (a rowid table) in key order, and a whole-collection run appends. Label sets
/// are named in <c>label_sets</c> (an integer id per collection and set name). Each row carries the change sequence
/// number of the write that set it, and each write logs the row keys it wrote as one blob in <c>label_changes</c>, so
/// other processes catch up by reading the rows of the logged keys newer than their mirror; a reader further behind than
/// the log reaches (<c>collections.label_log_from</c>; the log keeps about the last <see cref="LogKeys"/> keys) reads
/// the collection's rows whole. An index on the sequence number would give the same answer, but on the store's 16 KB
/// pages every index insert costs SQLite about 10 us (measured: 16 us a row with it, 3 without, 3 with it on 4 KB pages).
/// A cleared label set is a row with a NULL label until the set is written again. An upsert of a point replaces all its
/// rows, with the point's own sequence number. A point keeps its key for life and keys are never reused.
/// </summary>
internal static class LabelRows
{
    /// <summary>Bits of a row's key given to the point's key (a collection's keys count up from 0 and are never reused).</summary>
    public const int PointKeyBits = 40;

    /// <summary>Row keys the change log keeps per collection (the newest write is always kept whole).</summary>
    public const int LogKeys = 1 << 21;

    private const long PointKeyMask = (1L << PointKeyBits) - 1;

    /// <summary>Logged row keys closer than this are read back in one range scan rather than apart.</summary>
    private const long RangeGap = 4096;

    public const string Schema = """
        CREATE TABLE IF NOT EXISTS label_sets(
            id INTEGER PRIMARY KEY, collection TEXT NOT NULL, name TEXT NOT NULL, UNIQUE(collection, name));
        CREATE TABLE IF NOT EXISTS label_rows(
            pk INTEGER PRIMARY KEY, seq INTEGER NOT NULL,
            label TEXT, score REAL, run_id TEXT, runner_up TEXT, runner_up_score REAL, also TEXT);
        CREATE TABLE IF NOT EXISTS label_changes(
            collection TEXT NOT NULL, seq INTEGER NOT NULL, count INTEGER NOT NULL, keys BLOB NOT NULL,
            PRIMARY KEY(collection, seq)) WITHOUT ROWID;
        """;

    public const string UpsertSql =
        "INSERT OR REPLACE INTO label_rows(pk, seq, label, score, run_id, runner_up, runner_up_score, also) " +
        "VALUES ($pk, $seq, $label, $score, $run, $up, $upScore, $also)";

    /// <summary>Deletes a point's rows, the point given by its key ($key).</summary>
    public static readonly string DeletePointSql = Sql($"DELETE FROM label_rows WHERE pk IN (SELECT (id << {PointKeyBits}) | $key FROM label_sets WHERE collection = $c)");

    /// <summary>Deletes a point's rows, the point given by its id ($id; so before its points row).</summary>
    public static readonly string DeletePointByIdSql = Sql(
        $"DELETE FROM label_rows WHERE pk IN (SELECT (s.id << {PointKeyBits}) | p.key FROM label_sets s JOIN points p ON p.collection = s.collection AND p.id = $id WHERE s.collection = $c)");

    /// <summary>What dropping a collection ($n) deletes of its labels, in order.</summary>
    public static readonly string[] DropCollectionSql =
    [
        Sql($"DELETE FROM label_rows WHERE pk IN (SELECT l.pk FROM label_sets s JOIN label_rows l ON l.pk BETWEEN s.id << {PointKeyBits} AND (s.id << {PointKeyBits}) | {PointKeyMask} WHERE s.collection = $n)"),
        "DELETE FROM label_sets WHERE collection = $n",
        "DELETE FROM label_changes WHERE collection = $n",
    ];

    /// <summary>A row's columns as <see cref="Read"/> reads them (point key, set name, assignment), from label_rows l joined to label_sets s.</summary>
    private static readonly string ReadColumns = Sql($"l.pk & {PointKeyMask}, s.name, l.label, l.score, l.run_id, l.runner_up, l.runner_up_score, l.also");

    /// <summary>Every row of the collection ($c) set after $s.</summary>
    private static readonly string AllChangedSql = Sql(
        $"SELECT {ReadColumns} FROM label_sets s JOIN label_rows l ON l.pk BETWEEN s.id << {PointKeyBits} AND (s.id << {PointKeyBits}) | {PointKeyMask} WHERE s.collection = $c AND l.seq > $s");

    /// <summary>The collection's ($c) rows between two row keys ($lo, $hi, of one label set) set after $s.</summary>
    private static readonly string RangeChangedSql = Sql(
        $"SELECT {ReadColumns} FROM label_rows l JOIN label_sets s ON s.id = l.pk >> {PointKeyBits} WHERE l.pk BETWEEN $lo AND $hi AND l.seq > $s AND s.collection = $c");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Sql(FormattableString sql) => FormattableString.Invariant(sql);

    /// <summary>
    /// Sets <paramref name="labelSet"/> on each point (by key; a null assignment: cleared), every row under change sequence
    /// number <paramref name="seq"/>, through one <see cref="Writer"/>. Rows given in key order are appended.
    /// </summary>
    public static void UpsertMany(SqliteConnection connection, SqliteTransaction tx, string collection, long seq, string labelSet,
        IEnumerable<(long Key, LabelAssignment? Label)> rows, int logKeys = LogKeys)
    {
        if (rows.TryGetNonEnumeratedCount(out var count) && count == 0)
        {
            return; // no set is named for a write that changes nothing
        }

        using var writer = new Writer(connection, tx, collection, seq, logKeys, count);
        var set = writer.SetId(labelSet);
        foreach (var (key, label) in rows)
        {
            writer.Write(key, set, label);
        }

        writer.LogChanges();
    }

    /// <summary>
    /// Reads the collection's label rows set after <paramref name="since"/> (all of them with -1) to <paramref name="each"/>:
    /// the rows of the keys logged since then, read back in ranges, or, when the log does not reach back that far, every
    /// row of the collection newer than <paramref name="since"/>.
    /// </summary>
    public static void ReadChanged(SqliteConnection connection, SqliteTransaction tx, string collection, long since,
        Action<(long Key, string LabelSet, LabelAssignment? Label)> each)
    {
        var strings = new HashSet<string>(StringComparer.Ordinal);
        var logFrom = (long?)IndexDatabase.Scalar(connection, "SELECT label_log_from FROM collections WHERE name = $c", tx, ("$c", collection)) ?? 0;
        if (since < logFrom)
        {
            using var all = IndexDatabase.Command(connection, tx, AllChangedSql, ("$c", collection), ("$s", since));
            using var r = all.ExecuteReader();
            while (r.Read())
            {
                each(Read(r, strings));
            }

            return;
        }

        var keys = new List<long>();
        using (var log = IndexDatabase.Command(connection, tx, "SELECT keys FROM label_changes WHERE collection = $c AND seq > $s", ("$c", collection), ("$s", since)))
        {
            using var r = log.ExecuteReader();
            while (r.Read())
            {
                keys.AddRange(MemoryMarshal.Cast<byte, long>((byte[])r.GetValue(0)));
            }
        }

        keys.Sort();
        using var range = IndexDatabase.Command(connection, tx, RangeChangedSql, ("$c", collection), ("$lo", 0L), ("$hi", 0L), ("$s", since));
        for (var start = 0; start < keys.Count;)
        {
            // One scan per run of keys of one set no further apart than RangeGap: a whole-collection write is read in one pass per set.
            var end = start;
            while (end + 1 < keys.Count && keys[end + 1] - keys[end] <= RangeGap && keys[end + 1] >> PointKeyBits == keys[start] >> PointKeyBits)
            {
                end++;
            }

            range.Parameters["$lo"].Value = keys[start];
            range.Parameters["$hi"].Value = keys[end];
            using (var r = range.ExecuteReader())
            {
                while (r.Read())
                {
                    each(Read(r, strings));
                }
            }

            start = end + 1;
        }
    }

    /// <summary>Writes a point's labels as an upsert gives them (its earlier rows deleted first; <paramref name="delete"/> binds $key).</summary>
    public static void ReplacePoint(SqliteCommand delete, Writer writer, long key, IReadOnlyDictionary<string, LabelAssignment> labels)
    {
        delete.Parameters["$key"].Value = key;
        delete.ExecuteNonQuery();
        foreach (var (set, label) in labels)
        {
            writer.Write(key, writer.SetId(set), label);
        }
    }

    /// <summary>
    /// The one writer of label rows (a label write, the labels an upsert carries, the upgrades): the upsert prepared once
    /// and stepped once a row through SQLite's own API, under the caller's transaction on the same connection, every
    /// row with change sequence number <c>seq</c>. Label names and run ids, which repeat across a write, are encoded to
    /// UTF-8 once each. Through an ADO.NET command, which re-binds every parameter by name on each execution, the same
    /// rows cost about twice as much.
    /// </summary>
    public sealed class Writer : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _tx;
        private readonly string _collection;
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private readonly long _seq;
        private readonly int _logKeys;
        private readonly int _pk, _label, _score, _run, _up, _upScore, _also;
        private readonly Dictionary<string, byte[]> _utf8 = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _sets = new(StringComparer.Ordinal);
        private readonly List<long> _written;

        public Writer(SqliteConnection connection, SqliteTransaction tx, string collection, long seq, int logKeys = LogKeys, int rows = 0)
        {
            (_connection, _tx, _collection, _seq, _logKeys) = (connection, tx, collection, seq, logKeys);
            _written = new List<long>(rows);
            _db = connection.Handle!;
            Check(raw.sqlite3_prepare_v2(_db, UpsertSql, out _statement));
            int Index(string name) => raw.sqlite3_bind_parameter_index(_statement, name);
            (_pk, _label, _score) = (Index("$pk"), Index("$label"), Index("$score"));
            (_run, _up, _upScore, _also) = (Index("$run"), Index("$up"), Index("$upScore"), Index("$also"));
            Check(raw.sqlite3_bind_int64(_statement, Index("$seq"), seq));
        }

        /// <summary>The id of the collection's label set <paramref name="name"/>, created on first use.</summary>
        public long SetId(string name)
        {
            if (!_sets.TryGetValue(name, out var id))
            {
                IndexDatabase.Scalar(_connection, "INSERT OR IGNORE INTO label_sets(collection, name) VALUES ($c, $n)", _tx, ("$c", _collection), ("$n", name));
                _sets[name] = id = (long)IndexDatabase.Scalar(_connection, "SELECT id FROM label_sets WHERE collection = $c AND name = $n", _tx, ("$c", _collection), ("$n", name))!;
                if (id >= 1L << (63 - PointKeyBits))
                {
                    throw new InvalidOperationException($"Label set id {id} is beyond the {63 - PointKeyBits} bits a label row gives it.");
                }
            }

            return id;
        }

        /// <summary>Sets one point's (by key) label set (by <see cref="SetId"/>); a null <paramref name="label"/> records that the set was cleared.</summary>
        public void Write(long key, long set, LabelAssignment? label)
        {
            if ((ulong)key > PointKeyMask)
            {
                throw new InvalidOperationException($"Point key {key} is beyond the {PointKeyBits} bits a label row gives it.");
            }

            var pk = (set << PointKeyBits) | key;
            _written.Add(pk);
            Check(raw.sqlite3_bind_int64(_statement, _pk, pk));
            Text(_label, label?.Label);
            Text(_run, label?.RunId);
            Text(_up, label?.RunnerUp);
            Check(label is null ? raw.sqlite3_bind_null(_statement, _score) : raw.sqlite3_bind_double(_statement, _score, label.Score));
            Check(label?.RunnerUpScore is { } s ? raw.sqlite3_bind_double(_statement, _upScore, s) : raw.sqlite3_bind_null(_statement, _upScore));
            Check(label?.Also is { } a ? raw.sqlite3_bind_text(_statement, _also, JsonSerializer.Serialize(a, Json)) : raw.sqlite3_bind_null(_statement, _also));
            var step = raw.sqlite3_step(_statement);
            if (step != raw.SQLITE_DONE)
            {
                throw Error(step);
            }

            Check(raw.sqlite3_reset(_statement));
        }

        /// <summary>
        /// Logs the row keys written (one blob for the write) in label_changes, for other processes to catch up with, and
        /// drops the oldest log entries beyond the log's size in keys (the newest always kept), moving the collection's
        /// label_log_from past them.
        /// </summary>
        public void LogChanges()
        {
            if (_written.Count == 0)
            {
                return;
            }

            // Bound from the list's own memory: a large write's keys are never copied into a blob array.
            Check(raw.sqlite3_prepare_v2(_db, "INSERT OR REPLACE INTO label_changes(collection, seq, count, keys) VALUES (?1, ?2, ?3, ?4)", out var log));
            using (log)
            {
                Check(raw.sqlite3_bind_text(log, 1, _collection));
                Check(raw.sqlite3_bind_int64(log, 2, _seq));
                Check(raw.sqlite3_bind_int64(log, 3, _written.Count));
                Check(raw.sqlite3_bind_blob(log, 4, MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_written))));
                var step = raw.sqlite3_step(log);
                if (step != raw.SQLITE_DONE)
                {
                    throw Error(step);
                }
            }

            _written.Clear();
            var cut = IndexDatabase.Scalar(_connection, """
                SELECT max(seq) FROM (SELECT seq, sum(count) OVER (ORDER BY seq DESC) AS newer FROM label_changes WHERE collection = $c)
                WHERE newer > $max AND seq < $s
                """, _tx, ("$c", _collection), ("$max", _logKeys), ("$s", _seq));
            if (cut is long through)
            {
                IndexDatabase.Scalar(_connection, "DELETE FROM label_changes WHERE collection = $c AND seq <= $t", _tx, ("$c", _collection), ("$t", through));
                IndexDatabase.Scalar(_connection, "UPDATE collections SET label_log_from = max(label_log_from, $t) WHERE name = $c", _tx, ("$c", _collection), ("$t", through));
            }
        }

        public void Dispose() => _statement.Dispose();

        private void Text(int index, string? value)
        {
            if (value is null)
            {
                Check(raw.sqlite3_bind_null(_statement, index));
                return;
            }

            if (!_utf8.TryGetValue(value, out var bytes))
            {
                _utf8[value] = bytes = System.Text.Encoding.UTF8.GetBytes(value);
            }

            Check(raw.sqlite3_bind_text(_statement, index, bytes));
        }

        private void Check(int code)
        {
            if (code != raw.SQLITE_OK)
            {
                throw Error(code);
            }
        }

        private SqliteException Error(int code) => new(raw.sqlite3_errmsg(_db).utf8_to_string(), code, raw.sqlite3_extended_errcode(_db));
    }

    /// <summary>
    /// Reads a row of the queries of <see cref="ReadChanged"/>: the point's key, the set, and its assignment (null: cleared). Label names, sets and
    /// run ids repeat across a collection: one instance of each is kept through <paramref name="strings"/>.
    /// </summary>
    private static (long Key, string LabelSet, LabelAssignment? Label) Read(SqliteDataReader r, HashSet<string> strings) =>
        (r.GetInt64(0), Shared(strings, r.GetString(1)), r.IsDBNull(2) ? null : new LabelAssignment(
            Shared(strings, r.GetString(2)), (float)r.GetDouble(3), Shared(strings, r.GetString(4)), r.IsDBNull(5) ? null : Shared(strings, r.GetString(5)),
            r.IsDBNull(6) ? null : (float)r.GetDouble(6), r.IsDBNull(7) ? null : JsonSerializer.Deserialize<List<ScoredLabel>>(r.GetString(7), Json)));

    private static string Shared(HashSet<string> strings, string value)
    {
        if (strings.TryGetValue(value, out var shared))
        {
            return shared;
        }

        strings.Add(value);
        return value;
    }

    /// <summary>
    /// Upgrades a schema 1 or 2 store: labels move out of the points' JSON column into <c>label_rows</c> (sequence number 0,
    /// older than any mirror), and the keyword rows of labelled points are rewritten without their label words, which
    /// keyword search now matches from the labels themselves.
    /// </summary>
    public static void MoveOutOfPoints(SqliteConnection connection, SqliteTransaction tx)
    {
        using var select = IndexDatabase.Command(connection, tx, "SELECT collection, id, key, path, root, labels, text FROM points WHERE labels IS NOT NULL ORDER BY collection, key");
        using var text = IndexDatabase.Command(connection, tx, KeywordRows.UpsertSql);
        var textCollection = text.Parameters.Add("$c", SqliteType.Text);
        var textId = text.Parameters.Add("$id", SqliteType.Blob);
        var words = text.Parameters.Add("$words", SqliteType.Text);
        var writers = new Dictionary<string, Writer>(StringComparer.Ordinal);
        try
        {
            using var r = select.ExecuteReader();
            while (r.Read())
            {
                var collection = r.GetString(0);
                if (!writers.TryGetValue(collection, out var writer))
                {
                    writers[collection] = writer = new Writer(connection, tx, collection, seq: 0);
                }

                var key = r.GetInt64(2);
                foreach (var (set, label) in PointRows.DeserializeLabels(r.GetString(5)))
                {
                    writer.Write(key, writer.SetId(set), label);
                }

                textCollection.Value = collection;
                textId.Value = (byte[])r.GetValue(1);
                words.Value = KeywordRows.Text(new ImagePayload
                {
                    Path = r.GetString(3), Root = r.GetString(4), Text = r.IsDBNull(6) ? null : PointRows.DeserializeText(r.GetString(6)),
                });
                text.ExecuteNonQuery();
            }
        }
        finally
        {
            foreach (var writer in writers.Values)
            {
                writer.Dispose();
            }
        }

        IndexDatabase.Execute(connection, "UPDATE points SET labels = NULL WHERE labels IS NOT NULL", tx);
    }

    /// <summary>
    /// Upgrades a schema 3 or 4 store: its label rows, keyed by (collection, point id, set name) in <c>point_labels</c>, are
    /// copied under the integer keys of schema 5, each with its change sequence number, and the old table is dropped.
    /// </summary>
    public static void MoveToIntegerKeys(SqliteConnection connection, SqliteTransaction tx) =>
        IndexDatabase.Execute(connection, Sql($"""
            INSERT OR IGNORE INTO label_sets(collection, name) SELECT DISTINCT collection, label_set FROM point_labels ORDER BY collection, label_set;
            INSERT OR REPLACE INTO label_rows(pk, seq, label, score, run_id, runner_up, runner_up_score, also)
                SELECT (s.id << {PointKeyBits}) | p.key, l.seq, l.label, l.score, l.run_id, l.runner_up, l.runner_up_score, l.also
                FROM point_labels l
                JOIN label_sets s ON s.collection = l.collection AND s.name = l.label_set
                JOIN points p ON p.collection = l.collection AND p.id = l.id
                ORDER BY 1;
            DROP TABLE point_labels;
            """), tx);

    /// <summary>
    /// A store from before the change log (any version below 5): its collections' label rows were written unlogged, so
    /// a reader behind the current sequence number reads the rows whole (label_log_from = seq).
    /// </summary>
    public static void StartLog(SqliteConnection connection, SqliteTransaction tx) =>
        IndexDatabase.Execute(connection, """
            ALTER TABLE collections ADD COLUMN label_log_from INTEGER NOT NULL DEFAULT 0;
            UPDATE collections SET label_log_from = seq;
            """, tx);
}
