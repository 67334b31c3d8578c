using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// The keyword index: point_text holds each point's words (<see cref="KeywordRanking.IndexedWords"/>, joined by spaces) and
/// point_words is an FTS5 index over it, kept in step by triggers. We normalise the words ourselves, so FTS5's "ascii"
/// tokenizer is the one that changes nothing: it splits on our spaces only (every other character it sees is a lower-case
/// ASCII letter or digit, or non-ASCII, which it keeps in the token as is), where unicode61 would fold further than
/// <see cref="KeywordQuery.Words"/> does ("ø" = "o") and split on letters newer than its Unicode tables.
/// </summary>
internal static class KeywordRows
{
    /// <summary>The tables and triggers (point_text.pk is an INTEGER PRIMARY KEY: VACUUM keeps it, the FTS index refers to it).</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS point_text(
            pk INTEGER PRIMARY KEY, collection TEXT NOT NULL, id BLOB NOT NULL, words TEXT NOT NULL, UNIQUE(collection, id));
        CREATE VIRTUAL TABLE IF NOT EXISTS point_words USING fts5(words, content = 'point_text', content_rowid = 'pk', tokenize = 'ascii');
        CREATE TRIGGER IF NOT EXISTS point_text_insert AFTER INSERT ON point_text BEGIN
            INSERT INTO point_words(rowid, words) VALUES (new.pk, new.words);
        END;
        CREATE TRIGGER IF NOT EXISTS point_text_delete AFTER DELETE ON point_text BEGIN
            INSERT INTO point_words(point_words, rowid, words) VALUES ('delete', old.pk, old.words);
        END;
        CREATE TRIGGER IF NOT EXISTS point_text_update AFTER UPDATE ON point_text BEGIN
            INSERT INTO point_words(point_words, rowid, words) VALUES ('delete', old.pk, old.words);
            INSERT INTO point_words(rowid, words) VALUES (new.pk, new.words);
        END;
        """;

    // An upsert, not INSERT OR REPLACE: REPLACE deletes without firing the delete trigger (recursive_triggers is off).
    public const string UpsertSql =
        "INSERT INTO point_text(collection, id, words) VALUES ($c, $id, $words) ON CONFLICT(collection, id) DO UPDATE SET words = excluded.words";

    public const string DeleteSql = "DELETE FROM point_text WHERE collection = $c AND id = $id";

    public const string SearchSql =
        "SELECT t.id FROM point_words JOIN point_text t ON t.pk = point_words.rowid WHERE point_words MATCH $match AND t.collection = $c";

    /// <summary>
    /// The text point_text stores for <paramref name="payload"/>: the words of its path and metadata text. Its labels'
    /// words are matched from the labels themselves (<see cref="LabelRows"/>), so writing labels leaves this row alone.
    /// </summary>
    public static string Text(ImagePayload payload) =>
        string.Join(' ', KeywordRanking.IndexedWords(payload.Labels.Count == 0 ? payload : payload with { Labels = ImagePayload.NoLabels }));

    /// <summary>The FTS5 query for one term: the word as a string, and for a prefix term a prefix query ("beach"*).</summary>
    public static string Match(KeywordTerm term) => "\"" + term.Word.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" + (term.Whole ? "" : "*");

    /// <summary>
    /// Creates the keyword index, and when it was missing (a store written before it existed, or one whose index was lost)
    /// fills it from the points table: their paths, roots and metadata text only, never their vectors.
    /// </summary>
    public static void Ensure(SqliteConnection connection, SqliteTransaction tx)
    {
        if (IndexDatabase.Scalar(connection, "SELECT 1 FROM sqlite_master WHERE name = 'point_words'", tx) is not null)
        {
            return;
        }

        // point_text without its index (it went missing alone): start over, since its triggers would feed deletions of
        // rows the new index never held (which corrupts an external-content FTS5 index).
        IndexDatabase.Execute(connection, "DROP TABLE IF EXISTS point_text", tx);
        IndexDatabase.Execute(connection, Schema, tx);
        using var select = IndexDatabase.Command(connection, tx, "SELECT collection, id, path, root, text FROM points");
        using var insert = IndexDatabase.Command(connection, tx, UpsertSql);
        var c = insert.Parameters.Add("$c", SqliteType.Text);
        var id = insert.Parameters.Add("$id", SqliteType.Blob);
        var words = insert.Parameters.Add("$words", SqliteType.Text);
        using var r = select.ExecuteReader();
        while (r.Read())
        {
            c.Value = r.GetString(0);
            id.Value = r.GetValue(1);
            words.Value = Text(new ImagePayload
            {
                Path = r.GetString(2),
                Root = r.GetString(3),
                Text = r.IsDBNull(4) ? null : PointRows.DeserializeText(r.GetString(4)),
            });
            insert.ExecuteNonQuery();
        }
    }
}
