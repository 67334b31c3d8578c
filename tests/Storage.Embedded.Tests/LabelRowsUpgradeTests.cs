using System.Runtime.InteropServices;
using ClipSearch.Core.Index;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>
/// A schema 4 store (label rows keyed by collection, point id and set name in point_labels, as ClipSearch wrote them
/// from schema 3 on) upgraded in place to schema 5, where a label row is keyed by one integer, (label set id &lt;&lt; 40) |
/// point key: every label and cleared set kept, collections apart even where their points share a key, and later
/// writes, deletes and drops acting on the new rows.
/// </summary>
public sealed class LabelRowsUpgradeTests
{
    // Schema 4 as ClipSearch wrote it, verbatim.
    private const string SchemaV4 = LegacyStores.Header + """
        CREATE TABLE points(
            collection TEXT NOT NULL, id BLOB NOT NULL, key INTEGER NOT NULL, seq INTEGER NOT NULL,
            path TEXT NOT NULL, root TEXT NOT NULL, size INTEGER NOT NULL, modified_ticks INTEGER NOT NULL,
            content_hash TEXT, width INTEGER NOT NULL, height INTEGER NOT NULL, format TEXT,
            taken_ticks INTEGER, labels TEXT, text TEXT,
            PRIMARY KEY(collection, id)) WITHOUT ROWID;
        CREATE INDEX points_by_seq ON points(collection, seq);
        CREATE TABLE point_vectors(
            collection TEXT NOT NULL, key INTEGER NOT NULL, vector BLOB NOT NULL, PRIMARY KEY(collection, key));
        CREATE TABLE tombstones(
            collection TEXT NOT NULL, seq INTEGER NOT NULL, id BLOB NOT NULL,
            PRIMARY KEY(collection, seq, id)) WITHOUT ROWID;
        """ + LegacyStores.KeywordTables + """
        CREATE TABLE point_labels(
            collection TEXT NOT NULL, id BLOB NOT NULL, label_set TEXT NOT NULL, seq INTEGER NOT NULL,
            label TEXT, score REAL, run_id TEXT, runner_up TEXT, runner_up_score REAL, also TEXT,
            PRIMARY KEY(collection, id, label_set)) WITHOUT ROWID;
        CREATE INDEX point_labels_by_seq ON point_labels(collection, seq);
        INSERT INTO meta(key, value) VALUES ('schema_version', '4');
        INSERT INTO collections(name, model_id, dimension, seq, next_key, generation) VALUES ('c', 'test-model', 8, 9, 3, 'g1');
        INSERT INTO collections(name, model_id, dimension, seq, next_key, generation) VALUES ('d', 'test-model', 8, 2, 1, 'g2');
        """;

    // (collection, path, key, axis): d's only point has key 0, as c's first does, and the same id as c's p1.jpg.
    private static readonly (string Collection, string Path, int Key, int Axis)[] Points =
        [("c", "p1.jpg", 0, 0), ("c", "p2.jpg", 1, 1), ("c", "p3.jpg", 2, 2), ("d", "p1.jpg", 0, 3)];

    // (collection, path, set, seq, label, score, run, runner-up, runner-up score, also): p3's animals set was cleared at seq 7.
    private static readonly (string Collection, string Path, string Set, int Seq, string? Label, double? Score, string? Run, string? Up, double? UpScore, string? Also)[] Labels =
    [
        ("c", "p1.jpg", "animals", 4, "dog", 0.31, "zs-1", "cat", 0.22, null),
        ("c", "p1.jpg", "mood", 5, "happy", 0.2, "zs-2", null, null, null),
        ("c", "p2.jpg", "animals", 4, "cat", 0.28, "zs-1", null, null, """[{"label":"sea lion","score":0.26}]"""),
        ("c", "p3.jpg", "animals", 7, null, null, null, null, null, null),
        ("c", "gone.jpg", "animals", 6, "owl", 0.4, "zs-1", null, null, null), // a row whose point is no more: not carried over
        ("d", "p1.jpg", "animals", 2, "wolf", 0.5, "zs-9", null, null, null),
    ];

    [Fact]
    public async Task Open_SchemaFourStore_LabelRowsMovedToIntegerKeysAndKeptApartByCollection()
    {
        using var folder = new TempIndexFolder();
        WriteSchemaFourStore(folder);

        using (var store = folder.Open())
        {
            var c = await store.OpenCollectionAsync("c", Model, Dimension);
            var d = await store.OpenCollectionAsync("d", Model, Dimension);
            var p1 = (await c.GetAsync(PointIds.ForImage("/photos", "p1.jpg")))!.Payload.Labels;
            Assert.Equal(new LabelAssignment("dog", 0.31f, "zs-1", "cat", 0.22f), p1["animals"]);
            Assert.Equal(new LabelAssignment("happy", 0.2f, "zs-2"), p1["mood"]);
            Assert.Equal(new ScoredLabel("sea lion", 0.26f), Assert.Single((await c.GetAsync(PointIds.ForImage("/photos", "p2.jpg")))!.Payload.Labels["animals"].Also!));
            Assert.Empty((await c.GetAsync(PointIds.ForImage("/photos", "p3.jpg")))!.Payload.Labels);
            Assert.Equal(new LabelAssignment("wolf", 0.5f, "zs-9"), Assert.Single((await d.GetAsync(PointIds.ForImage("/photos", "p1.jpg")))!.Payload.Labels).Value);
            Assert.Equal(["p1.jpg"], (await c.SearchAsync(new VectorQuery(Axis(0), 10, Filter: new LabelFilter("animals", ["dog"])))).Select(h => h.Payload.Path));
            Assert.Equal(0, await c.CountAsync(new LabelFilter("animals", ["wolf", "owl"])));
        }

        Assert.Equal("5", folder.Sql("SELECT value FROM meta WHERE key = 'schema_version'"));
        Assert.Null(folder.Sql("SELECT name FROM sqlite_master WHERE name = 'point_labels'"));
        // Every row kept its change number, the cleared set included; the row of a point no longer there was left behind.
        Assert.Equal("c/animals/0/4/dog,c/animals/1/4/cat,c/animals/2/7/-,c/mood/0/5/happy,d/animals/0/2/wolf", folder.Sql("""
            SELECT group_concat(x, ',') FROM (SELECT s.collection || '/' || s.name || '/' || (l.pk & 1099511627775) || '/' || l.seq || '/' || coalesce(l.label, '-') AS x
            FROM label_rows l JOIN label_sets s ON s.id = l.pk >> 40 ORDER BY x)
            """));

        using (var store = folder.Open())
        {
            var c = await store.OpenCollectionAsync("c", Model, Dimension);
            await c.SetLabelsAsync("animals", [new(PointIds.ForImage("/photos", "p3.jpg"), new LabelAssignment("fox", 0.3f, "zs-3"))]);
            // Deleting c's point of key 0 leaves d's point of key 0 and its label alone.
            await c.DeleteAsync([PointIds.ForImage("/photos", "p1.jpg")]);
            Assert.True(await store.DropCollectionAsync("d"));
        }

        Assert.Equal("c/animals/1/cat,c/animals/2/fox", folder.Sql("""
            SELECT group_concat(x, ',') FROM (SELECT s.collection || '/' || s.name || '/' || (l.pk & 1099511627775) || '/' || coalesce(l.label, '-') AS x
            FROM label_rows l JOIN label_sets s ON s.id = l.pk >> 40 ORDER BY x)
            """));
        Assert.Equal("c:animals,c:mood", folder.Sql("SELECT group_concat(collection || ':' || name, ',') FROM (SELECT * FROM label_sets ORDER BY name)"));
        using (var store = folder.Open())
        {
            var c = await store.OpenCollectionAsync("c", Model, Dimension);
            Assert.Equal(["p2.jpg", "p3.jpg"], (await c.SearchAsync(new VectorQuery(Axis(1), 10, Filter: new LabelFilter("animals", ["cat", "fox"])))).Select(h => h.Payload.Path).Order());
        }
    }

    private static void WriteSchemaFourStore(TempIndexFolder folder)
    {
        using var connection = LegacyStores.Create(folder, SchemaV4);

        foreach (var (collection, path, key, axis) in Points)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO points(collection, id, key, seq, path, root, size, modified_ticks, content_hash, width, height, format, taken_ticks, labels, text)
                VALUES ($c, $id, $key, $key + 1, $path, '/photos', 1000, 0, NULL, 640, 480, 'jpeg', NULL, NULL, NULL);
                INSERT INTO point_vectors(collection, key, vector) VALUES ($c, $key, $v);
                INSERT INTO point_text(collection, id, words) VALUES ($c, $id, $words);
                """;
            insert.Parameters.AddWithValue("$c", collection);
            insert.Parameters.AddWithValue("$id", PointIds.ForImage("/photos", path).ToByteArray(bigEndian: true));
            insert.Parameters.AddWithValue("$key", key);
            insert.Parameters.AddWithValue("$v", MemoryMarshal.AsBytes(Axis(axis).AsSpan()).ToArray());
            insert.Parameters.AddWithValue("$path", path);
            insert.Parameters.AddWithValue("$words", path.Replace(".jpg", " jpg", StringComparison.Ordinal));
            insert.ExecuteNonQuery();
        }

        foreach (var row in Labels)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO point_labels(collection, id, label_set, seq, label, score, run_id, runner_up, runner_up_score, also)
                VALUES ($c, $id, $set, $seq, $label, $score, $run, $up, $upScore, $also)
                """;
            insert.Parameters.AddWithValue("$c", row.Collection);
            insert.Parameters.AddWithValue("$id", PointIds.ForImage("/photos", row.Path).ToByteArray(bigEndian: true));
            insert.Parameters.AddWithValue("$set", row.Set);
            insert.Parameters.AddWithValue("$seq", row.Seq);
            insert.Parameters.AddWithValue("$label", (object?)row.Label ?? DBNull.Value);
            insert.Parameters.AddWithValue("$score", (object?)row.Score ?? DBNull.Value);
            insert.Parameters.AddWithValue("$run", (object?)row.Run ?? DBNull.Value);
            insert.Parameters.AddWithValue("$up", (object?)row.Up ?? DBNull.Value);
            insert.Parameters.AddWithValue("$upScore", (object?)row.UpScore ?? DBNull.Value);
            insert.Parameters.AddWithValue("$also", (object?)row.Also ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }
    }
}
