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

    private static readonly string[] TextParameters = ["$label", "$run", "$up"];

    private static readonly string[] RowParameters = ["$c", "$id", "$set", "$label", "$score", "$run", "$up", "$upScore", "$also"];

    /// <summary>The upsert, prepared, every row under change sequence number <paramref name="seq"/>; the rest is bound per row through <see cref="Bind"/>.</summary>
    public static SqliteCommand Upsert(SqliteConnection connection, SqliteTransaction tx, long seq)
    {
        var command = IndexDatabase.Command(connection, tx, UpsertSql);
        foreach (var name in RowParameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Parameters.AddWithValue("$seq", seq); // after the row's parameters, which Bind sets by position

        command.Prepare();
        return command;
    }

    /// <summary>Binds one row of <see cref="Upsert"/>; a null <paramref name="label"/> records that the set was cleared.</summary>
    public static void Bind(SqliteCommand upsert, string collection, byte[] id, string labelSet, LabelAssignment? label)
    {
        var p = upsert.Parameters;
        p[0].Value = collection;
        p[1].Value = id;
        p[2].Value = labelSet;
        p[3].Value = (object?)label?.Label ?? DBNull.Value;
        p[4].Value = label is null ? DBNull.Value : (double)label.Score;
        p[5].Value = (object?)label?.RunId ?? DBNull.Value;
        p[6].Value = (object?)label?.RunnerUp ?? DBNull.Value;
        p[7].Value = label?.RunnerUpScore is { } s ? (double)s : DBNull.Value;
        p[8].Value = label?.Also is { } also ? JsonSerializer.Serialize(also, Json) : DBNull.Value;
    }

    /// <summary>
    /// Sets <paramref name="labelSet"/> on each point (a null assignment: cleared): one prepared statement stepped once a
    /// row through SQLite's own API, the collection, set and sequence number bound once; label names and run ids, which
    /// repeat across a write, are encoded to UTF-8 once each. Through the ADO.NET command, which re-binds every
    /// parameter by name on each execution, the same rows cost about twice as much.
    /// </summary>
    public static void UpsertMany(SqliteConnection connection, SqliteTransaction tx, string collection, long seq, string labelSet,
        IReadOnlyList<(Guid Id, LabelAssignment? Label)> rows)
    {
        _ = tx; // the statement runs on the connection, inside the transaction the caller holds
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, UpsertSql, out sqlite3_stmt statement));
        using (statement)
        {
            Check(db, raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "$c"), collection));
            Check(db, raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "$set"), labelSet));
            Check(db, raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "$seq"), seq));
            var id = raw.sqlite3_bind_parameter_index(statement, "$id");
            var text = TextParameters.Select(n => raw.sqlite3_bind_parameter_index(statement, n)).ToArray();
            var score = raw.sqlite3_bind_parameter_index(statement, "$score");
            var upScore = raw.sqlite3_bind_parameter_index(statement, "$upScore");
            var also = raw.sqlite3_bind_parameter_index(statement, "$also");
            var utf8 = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            Span<byte> idBytes = stackalloc byte[16];
            foreach (var (point, label) in rows)
            {
                point.TryWriteBytes(idBytes, bigEndian: true, out _);
                Check(db, raw.sqlite3_bind_blob(statement, id, idBytes));
                BindText(statement, text[0], label?.Label, utf8);
                BindText(statement, text[1], label?.RunId, utf8);
                BindText(statement, text[2], label?.RunnerUp, utf8);
                Check(db, label is null ? raw.sqlite3_bind_null(statement, score) : raw.sqlite3_bind_double(statement, score, label.Score));
                Check(db, label?.RunnerUpScore is { } s ? raw.sqlite3_bind_double(statement, upScore, s) : raw.sqlite3_bind_null(statement, upScore));
                Check(db, label?.Also is { } a ? raw.sqlite3_bind_text(statement, also, JsonSerializer.Serialize(a, Json)) : raw.sqlite3_bind_null(statement, also));
                var step = raw.sqlite3_step(statement);
                if (step != raw.SQLITE_DONE)
                {
                    throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), step, raw.sqlite3_extended_errcode(db));
                }

                Check(db, raw.sqlite3_reset(statement));
            }
        }
    }

    private static void BindText(sqlite3_stmt statement, int index, string? value, Dictionary<string, byte[]> utf8)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
            return;
        }

        if (!utf8.TryGetValue(value, out var bytes))
        {
            utf8[value] = bytes = System.Text.Encoding.UTF8.GetBytes(value);
        }

        raw.sqlite3_bind_text(statement, index, bytes);
    }

    private static void Check(sqlite3 db, int code)
    {
        if (code != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), code, raw.sqlite3_extended_errcode(db));
        }
    }

    /// <summary>Writes a point's labels as an upsert gives them (its earlier rows deleted first).</summary>
    public static void ReplacePoint(SqliteCommand delete, SqliteCommand upsert, string collection, byte[] id, IReadOnlyDictionary<string, LabelAssignment> labels)
    {
        delete.Parameters["$id"].Value = id;
        delete.ExecuteNonQuery();
        foreach (var (set, label) in labels)
        {
            Bind(upsert, collection, id, set, label);
            upsert.ExecuteNonQuery();
        }
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
        using var insert = Upsert(connection, tx, seq: 0);
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
                    Bind(insert, collection, id, set, label);
                    insert.ExecuteNonQuery();
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
