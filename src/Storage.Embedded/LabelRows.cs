using System.Text.Json;
using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// Labels in their own table (schema 3): one small row per point and label set, so categorizing writes an insert of
/// a few dozen bytes per image instead of rewriting its whole points row (vector included) and its keyword row.
/// Each row carries the change sequence number of the write that set it, so other processes catch up by reading the
/// rows newer than their mirror (point_labels_by_seq); a cleared label set is a row with a NULL label until the set
/// is written again. An upsert of a point replaces all its rows, with the point's own sequence number.
/// </summary>
internal static class LabelRows
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS point_labels(
            collection TEXT NOT NULL, id BLOB NOT NULL, label_set TEXT NOT NULL, seq INTEGER NOT NULL,
            label TEXT, score REAL, run_id TEXT, runner_up TEXT, runner_up_score REAL, also TEXT,
            PRIMARY KEY(collection, id, label_set)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS point_labels_by_seq ON point_labels(collection, seq);
        """;

    public const string UpsertSql =
        "INSERT OR REPLACE INTO point_labels(collection, id, label_set, seq, label, score, run_id, runner_up, runner_up_score, also) " +
        "VALUES ($c, $id, $set, $seq, $label, $score, $run, $up, $upScore, $also)";

    public const string DeletePointSql = "DELETE FROM point_labels WHERE collection = $c AND id = $id";

    /// <summary>Rows set after a change sequence number (all rows with -1): id, set, then the assignment (a NULL label: cleared).</summary>
    public const string ChangedSql = "SELECT id, label_set, label, score, run_id, runner_up, runner_up_score, also FROM point_labels WHERE collection = $c AND seq > $s";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Sets <paramref name="labelSet"/> on each point (a null assignment: cleared), every row under change sequence number
    /// <paramref name="seq"/>, through one <see cref="Writer"/>.
    /// </summary>
    public static void UpsertMany(SqliteConnection connection, string collection, long seq, string labelSet,
        IReadOnlyList<(Guid Id, LabelAssignment? Label)> rows)
    {
        using var writer = new Writer(connection, seq);
        Span<byte> id = stackalloc byte[16];
        foreach (var (point, label) in rows)
        {
            point.TryWriteBytes(id, bigEndian: true, out _);
            writer.Write(collection, id, labelSet, label);
        }
    }

    /// <summary>Writes a point's labels as an upsert gives them (its earlier rows deleted first).</summary>
    public static void ReplacePoint(SqliteCommand delete, Writer writer, string collection, byte[] id, IReadOnlyDictionary<string, LabelAssignment> labels)
    {
        delete.Parameters["$id"].Value = id;
        delete.ExecuteNonQuery();
        foreach (var (set, label) in labels)
        {
            writer.Write(collection, id, set, label);
        }
    }

    /// <summary>
    /// The one writer of label rows (a label write, the labels an upsert carries, the schema 2 upgrade): the upsert
    /// prepared once and stepped once a row through SQLite's own API, under the caller's transaction on the same
    /// connection, every row with change sequence number <c>seq</c>. Collection and set names, label names and run
    /// ids, which repeat across a write, are encoded to UTF-8 once each. Through an ADO.NET command, which re-binds
    /// every parameter by name on each execution, the same rows cost about twice as much.
    /// </summary>
    public sealed class Writer : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private readonly int _collection, _id, _set, _label, _score, _run, _up, _upScore, _also;
        private readonly Dictionary<string, byte[]> _utf8 = new(StringComparer.Ordinal);

        public Writer(SqliteConnection connection, long seq)
        {
            _db = connection.Handle!;
            Check(raw.sqlite3_prepare_v2(_db, UpsertSql, out _statement));
            int Index(string name) => raw.sqlite3_bind_parameter_index(_statement, name);
            (_collection, _id, _set, _label, _score) = (Index("$c"), Index("$id"), Index("$set"), Index("$label"), Index("$score"));
            (_run, _up, _upScore, _also) = (Index("$run"), Index("$up"), Index("$upScore"), Index("$also"));
            Check(raw.sqlite3_bind_int64(_statement, Index("$seq"), seq));
        }

        /// <summary>Sets one point's (16-byte id) label set; a null <paramref name="label"/> records that the set was cleared.</summary>
        public void Write(string collection, ReadOnlySpan<byte> id, string labelSet, LabelAssignment? label)
        {
            Text(_collection, collection);
            Check(raw.sqlite3_bind_blob(_statement, _id, id));
            Text(_set, labelSet);
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
    /// Reads a row of <see cref="ChangedSql"/>: the point, the set, and its assignment (null: cleared). Label names, sets and
    /// run ids repeat across a collection: one instance of each is kept through <paramref name="strings"/>.
    /// </summary>
    public static (Guid Id, string LabelSet, LabelAssignment? Label) Read(SqliteDataReader r, HashSet<string> strings) =>
        (PointRows.ReadId(r, 0), Shared(strings, r.GetString(1)), r.IsDBNull(2) ? null : new LabelAssignment(
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
    /// Upgrades a schema 2 store: labels move out of the points' JSON column into <c>point_labels</c> (sequence number 0,
    /// older than any mirror), and the keyword rows of labelled points are rewritten without their label words, which
    /// keyword search now matches from the labels themselves.
    /// </summary>
    public static void MoveOutOfPoints(SqliteConnection connection, SqliteTransaction tx)
    {
        using var select = IndexDatabase.Command(connection, tx, "SELECT collection, id, path, root, labels, text FROM points WHERE labels IS NOT NULL");
        using var insert = new Writer(connection, seq: 0);
        using var text = IndexDatabase.Command(connection, tx, KeywordRows.UpsertSql);
        var textCollection = text.Parameters.Add("$c", SqliteType.Text);
        var textId = text.Parameters.Add("$id", SqliteType.Blob);
        var words = text.Parameters.Add("$words", SqliteType.Text);
        using (var r = select.ExecuteReader())
        {
            while (r.Read())
            {
                var id = (byte[])r.GetValue(1);
                var collection = r.GetString(0);
                textCollection.Value = collection;
                foreach (var (set, label) in PointRows.DeserializeLabels(r.GetString(4)))
                {
                    insert.Write(collection, id, set, label);
                }

                textId.Value = id;
                words.Value = KeywordRows.Text(new ImagePayload
                {
                    Path = r.GetString(2), Root = r.GetString(3), Text = r.IsDBNull(5) ? null : PointRows.DeserializeText(r.GetString(5)),
                });
                text.ExecuteNonQuery();
            }
        }

        IndexDatabase.Execute(connection, "UPDATE points SET labels = NULL WHERE labels IS NOT NULL", tx);
    }
}
