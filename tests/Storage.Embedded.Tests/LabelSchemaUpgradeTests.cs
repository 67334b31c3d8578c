using System.Runtime.InteropServices;
using ClipSearch.Core.Index;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>
/// Older stores upgraded in place to the current schema: a schema 2 store (labels as JSON in the points' rows, label
/// words in the keyword index, vectors in the points' rows) and a schema 4 store (label rows keyed by collection, point
/// id and set name in point_labels) end with vectors in point_vectors (4) and label rows keyed by one integer in
/// label_rows (5).
/// </summary>
public sealed class LabelSchemaUpgradeTests
{
    // Schema 2 as ClipSearch wrote it before labels had their own table, verbatim.
    private const string SchemaV2 = LegacyStores.Header + """
        CREATE TABLE points(
            collection TEXT NOT NULL, id BLOB NOT NULL, key INTEGER NOT NULL, seq INTEGER NOT NULL, vector BLOB NOT NULL,
            path TEXT NOT NULL, root TEXT NOT NULL, size INTEGER NOT NULL, modified_ticks INTEGER NOT NULL,
            content_hash TEXT, width INTEGER NOT NULL, height INTEGER NOT NULL, format TEXT,
            taken_ticks INTEGER, labels TEXT, text TEXT,
            PRIMARY KEY(collection, id)) WITHOUT ROWID;
        CREATE INDEX points_by_seq ON points(collection, seq);
        CREATE TABLE tombstones(
            collection TEXT NOT NULL, seq INTEGER NOT NULL, id BLOB NOT NULL,
            PRIMARY KEY(collection, seq, id)) WITHOUT ROWID;
        """ + LegacyStores.KeywordTables + """
        INSERT INTO meta(key, value) VALUES ('schema_version', '2');
        INSERT INTO collections(name, model_id, dimension, seq, next_key, generation) VALUES ('c', 'test-model', 8, 3, 3, 'g1');
        """;

    private static readonly (string Path, int Axis, string? LabelsJson)[] Rows =
    [
        ("p1.jpg", 0, """{"animals":{"label":"dog","score":0.31,"runId":"zs-1","runnerUp":"cat","runnerUpScore":0.22},"mood":{"label":"happy","score":0.2,"runId":"zs-2"}}"""),
        ("p2.jpg", 1, """{"animals":{"label":"cat","score":0.28,"runId":"zs-1","also":[{"label":"sea lion","score":0.26}]}}"""),
        ("p3.jpg", 2, null),
    ];

    [Fact]
    public async Task Open_SchemaTwoStoreWithLabelsInPayloads_UpgradedInPlaceLabelsKeptAndFilterable()
    {
        using var folder = new TempIndexFolder();
        WriteSchemaTwoStore(folder);

        using (var store = folder.Open())
        {
            var c = await store.OpenCollectionAsync("c", Model, Dimension);
            var dog = (await c.GetAsync(PointIds.ForImage("/photos", "p1.jpg")))!.Payload.Labels;
            Assert.Equal(new LabelAssignment("dog", 0.31f, "zs-1", "cat", 0.22f), dog["animals"]);
            Assert.Equal(new LabelAssignment("happy", 0.2f, "zs-2"), dog["mood"]);
            Assert.Equal(new ScoredLabel("sea lion", 0.26f), Assert.Single((await c.GetAsync(PointIds.ForImage("/photos", "p2.jpg")))!.Payload.Labels["animals"].Also!));
            Assert.Empty((await c.GetAsync(PointIds.ForImage("/photos", "p3.jpg")))!.Payload.Labels);

            var hits = await c.SearchAsync(new VectorQuery(Axis(0), 10, Filter: new LabelFilter("animals", ["dog"])));
            Assert.Equal(["p1.jpg"], hits.Select(h => h.Payload.Path));
            Assert.Equal(2, await c.CountAsync(new LabelFilter("animals", ["dog", "cat"])));

            // Label words are still found by keyword search, and a label written over an old one leaves no stale word behind.
            var words = (IKeywordSearchable)c;
            Assert.Single(await words.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("sea lion"), All: true)));
            await c.SetLabelsAsync("animals", [new(PointIds.ForImage("/photos", "p1.jpg"), new LabelAssignment("wolf", 0.3f, "zs-3"))]);
            Assert.Empty(await words.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("dog"))));
            Assert.Single(await words.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("wolf"))));
        }

        Assert.Equal("5", folder.Sql("SELECT value FROM meta WHERE key = 'schema_version'"));
        Assert.Equal("0", folder.Sql("SELECT count(*) FROM points WHERE labels IS NOT NULL"));
        Assert.Equal("3", folder.Sql("SELECT count(*) FROM label_rows WHERE label IS NOT NULL"));
        Assert.Equal("c:animals,c:mood", folder.Sql("SELECT group_concat(collection || ':' || name, ',') FROM (SELECT * FROM label_sets ORDER BY name)"));
        // The vectors moved, byte for byte, under their points' keys; the points rows no longer carry them.
        Assert.Equal("0", folder.Sql("SELECT count(*) FROM pragma_table_info('points') WHERE name = 'vector'"));
        Assert.Equal(string.Join(",", Rows.Select((r, i) => $"{i}:{Convert.ToHexString(MemoryMarshal.AsBytes(Axis(r.Axis).AsSpan()))}")),
            folder.Sql("SELECT group_concat(key || ':' || hex(vector), ',') FROM (SELECT key, vector FROM point_vectors WHERE collection = 'c' ORDER BY key)"));

        // Reopened: what the upgrade and the later write left is what a fresh process reads.
        using (var store = folder.Open())
        {
            var c = await store.OpenCollectionAsync("c", Model, Dimension);
            Assert.Equal(["p1.jpg"], (await c.SearchAsync(new VectorQuery(Axis(0), 10, Filter: new LabelFilter("animals", ["wolf"])))).Select(h => h.Payload.Path));
            Assert.Equal("happy", (await c.GetAsync(PointIds.ForImage("/photos", "p1.jpg")))!.Payload.Labels["mood"].Label);
        }
    }

    private static void WriteSchemaTwoStore(TempIndexFolder folder)
    {
        using var connection = LegacyStores.Create(folder, SchemaV2);

        for (var i = 0; i < Rows.Length; i++)
        {
            var (path, axis, labels) = Rows[i];
            var id = PointIds.ForImage("/photos", path).ToByteArray(bigEndian: true);
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO points(collection, id, key, seq, vector, path, root, size, modified_ticks, content_hash, width, height, format, taken_ticks, labels, text)
                VALUES ('c', $id, $key, $key + 1, $v, $path, '/photos', 1000, 0, NULL, 640, 480, 'jpeg', NULL, $labels, NULL);
                INSERT INTO point_text(collection, id, words) VALUES ('c', $id, $words);
                """;
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$key", i);
            insert.Parameters.AddWithValue("$v", MemoryMarshal.AsBytes(Axis(axis).AsSpan()).ToArray());
            insert.Parameters.AddWithValue("$path", path);
            insert.Parameters.AddWithValue("$labels", (object?)labels ?? DBNull.Value);
            // Schema 2 indexed a point's label words with its path's.
            insert.Parameters.AddWithValue("$words", path.Replace(".jpg", " jpg", StringComparison.Ordinal) + (labels is null ? "" : i == 0 ? " dog happy" : " cat sea lion"));
            insert.ExecuteNonQuery();
        }
    }
}
