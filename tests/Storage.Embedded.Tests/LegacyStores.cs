using Microsoft.Data.Sqlite;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>Stores as older ClipSearch versions wrote them, for the upgrade tests: their SQL verbatim, run on a fresh folder.</summary>
internal static class LegacyStores
{
    /// <summary>The tables every schema from 1 to 5 begins with (the collections table without schema 5's label_log_from).</summary>
    public const string Header = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE collections(
            name TEXT PRIMARY KEY, model_id TEXT NOT NULL, dimension INTEGER NOT NULL,
            seq INTEGER NOT NULL DEFAULT 0, next_key INTEGER NOT NULL DEFAULT 0, generation TEXT NOT NULL);
        """;

    /// <summary>The keyword index of schemas 2 to 5.</summary>
    public const string KeywordTables = """
        CREATE TABLE point_text(
            pk INTEGER PRIMARY KEY, collection TEXT NOT NULL, id BLOB NOT NULL, words TEXT NOT NULL, UNIQUE(collection, id));
        CREATE VIRTUAL TABLE point_words USING fts5(words, content = 'point_text', content_rowid = 'pk', tokenize = 'ascii');
        CREATE TRIGGER point_text_insert AFTER INSERT ON point_text BEGIN
            INSERT INTO point_words(rowid, words) VALUES (new.pk, new.words);
        END;
        CREATE TRIGGER point_text_delete AFTER DELETE ON point_text BEGIN
            INSERT INTO point_words(point_words, rowid, words) VALUES ('delete', old.pk, old.words);
        END;
        CREATE TRIGGER point_text_update AFTER UPDATE ON point_text BEGIN
            INSERT INTO point_words(point_words, rowid, words) VALUES ('delete', old.pk, old.words);
            INSERT INTO point_words(rowid, words) VALUES (new.pk, new.words);
        END;
        """;

    /// <summary>Creates the folder's index file with <paramref name="schema"/> run on it; the caller fills it through the connection.</summary>
    public static SqliteConnection Create(TempIndexFolder folder, string schema)
    {
        Directory.CreateDirectory(folder.Path);
        var connection = new SqliteConnection($"Data Source={Path.Combine(folder.Path, IndexDatabase.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = schema;
        command.ExecuteNonQuery();
        return connection;
    }
}
