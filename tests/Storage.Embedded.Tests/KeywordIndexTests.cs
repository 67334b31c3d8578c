using ClipSearch.Core.Index;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>The embedded store's keyword index (SQLite FTS5): upgrade in place, other processes' writes, dropped collections.</summary>
public sealed class KeywordIndexTests
{
    private static readonly Dictionary<string, LabelAssignment> Lighthouse = new() { ["scenes"] = new("lighthouse", 0.3f, "run") };

    [Fact]
    public async Task Open_StoreWrittenBeforeTheKeywordIndex_FillsItFromTheRowsWithoutTouchingVectors()
    {
        using var folder = new TempIndexFolder();
        using (var store = folder.Open())
        {
            var c = await store.CreateCollectionAsync("c", Model, Dimension);
            await c.UpsertAsync([Point("Trips/Beach 2019/a.jpg", Axis(0)), Point("b.jpg", Axis(1), Payload("b.jpg") with { Labels = Lighthouse })]);
        }

        var vectorsBefore = folder.Sql("SELECT group_concat(hex(vector) || key, ',') FROM point_vectors ORDER BY key");
        // A version 1 store: no keyword tables at all, no metadata text column, labels as JSON in the points' labels column.
        folder.Sql("DROP TABLE point_words; DROP TABLE point_text; ALTER TABLE points DROP COLUMN text; DROP TABLE label_rows; DROP TABLE label_sets; "
            + """UPDATE points SET labels = '{"scenes":{"label":"lighthouse","score":0.3,"runId":"run"}}' WHERE path = 'b.jpg'; """
            + "UPDATE meta SET value = '1' WHERE key = 'schema_version'");

        using (var store = folder.Open())
        {
            var c = (IKeywordSearchable)await store.OpenCollectionAsync("c", Model, Dimension);
            var beach = Assert.Single(await c.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach"))));
            Assert.Equal(PointIds.ForImage("/photos", "Trips/Beach 2019/a.jpg"), beach.Id);
            var lighthouse = Assert.Single(await c.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("lighthouse"))));
            Assert.Equal(PointIds.ForImage("/photos", "b.jpg"), lighthouse.Id);
        }

        Assert.Equal("5", folder.Sql("SELECT value FROM meta WHERE key = 'schema_version'"));
        Assert.Equal(vectorsBefore, folder.Sql("SELECT group_concat(hex(vector) || key, ',') FROM point_vectors ORDER BY key"));
    }

    [Fact]
    public async Task Open_KeywordIndexLostButItsTableLeft_RebuildsBoth()
    {
        using var folder = new TempIndexFolder();
        using (var store = folder.Open())
        {
            var c = await store.CreateCollectionAsync("c", Model, Dimension);
            await c.UpsertAsync([Point("beach.jpg", Axis(0)), Point("dune.jpg", Axis(1))]);
        }

        folder.Sql("DROP TABLE point_words");

        using (var store = folder.Open())
        {
            var c = await store.OpenCollectionAsync("c", Model, Dimension);
            var k = (IKeywordSearchable)c;
            Assert.Single(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach"))));
            // Writes after the rebuild keep the index consistent (an inconsistent external-content index fails on these).
            await c.DeleteAsync([PointIds.ForImage("/photos", "beach.jpg")]);
            await c.UpsertAsync([Point("dune.jpg", Axis(2), Payload("dune.jpg") with { Labels = Lighthouse })]);
            Assert.Empty(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach"))));
            Assert.Single(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("dune lighthouse"))), h => h.Matched == 2);
        }

        Assert.Equal("ok", folder.Sql("INSERT INTO point_words(point_words, rank) VALUES ('integrity-check', 1); SELECT 'ok'"));
    }

    [Fact]
    public async Task KeywordSearch_AllTermsSplitBetweenPathAndLabel_FoundOnlyWithBoth()
    {
        using var folder = new TempIndexFolder();
        using var store = folder.Open();
        var c = await store.CreateCollectionAsync("c", Model, Dimension);
        await c.UpsertAsync([Point("dune.jpg", Axis(0)), Point("dune2.jpg", Axis(1)), Point("sea.jpg", Axis(2))]);
        await c.SetLabelsAsync("scenes", [new(PointIds.ForImage("/photos", "dune.jpg"), Lighthouse["scenes"]), new(PointIds.ForImage("/photos", "sea.jpg"), Lighthouse["scenes"])]);
        var k = (IKeywordSearchable)c;

        var both = Assert.Single(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("dune lighthouse"), All: true)));
        Assert.Equal((PointIds.ForImage("/photos", "dune.jpg"), 2), (both.Id, both.Matched));
        Assert.Equal(3, (await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("dune lighthouse")))).Count);
        await c.ClearLabelsAsync("scenes");
        Assert.Empty(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("lighthouse"))));
    }

    [Fact]
    public void Open_StoreOfANewerSchema_RefusedNamingTheVersions()
    {
        using var folder = new TempIndexFolder();
        folder.Open().Dispose();
        folder.Sql("UPDATE meta SET value = '6' WHERE key = 'schema_version'");

        var e = Assert.Throws<VectorStoreException>(() => folder.Open());
        Assert.Contains("schema version 6; this ClipSearch reads versions 1 to 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeywordSearch_WriteThroughAnotherInstance_Found()
    {
        using var folder = new TempIndexFolder();
        using var writerStore = folder.Open();
        using var readerStore = folder.Open();
        var writer = await writerStore.CreateCollectionAsync("shared", Model, Dimension);
        var reader = (IKeywordSearchable)await readerStore.OpenCollectionAsync("shared", Model, Dimension);
        Assert.Empty(await reader.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach"))));

        await writer.UpsertAsync([Point("beach.jpg", Axis(0))]);
        Assert.Single(await reader.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach"))));
        await writer.SetLabelsAsync("scenes", [new(PointIds.ForImage("/photos", "beach.jpg"), Lighthouse["scenes"])]);
        Assert.Single(await reader.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("lighthouse"))));
    }

    [Fact]
    public async Task KeywordSearch_CollectionDroppedAndCreatedAgain_OldWordsGone()
    {
        using var folder = new TempIndexFolder();
        using var store = folder.Open();
        var c = await store.CreateCollectionAsync("c", Model, Dimension);
        await c.UpsertAsync([Point("beach.jpg", Axis(0))]);
        var other = (IKeywordSearchable)await store.CreateCollectionAsync("other", Model, Dimension);
        await store.DropCollectionAsync("c");

        var again = (IKeywordSearchable)await store.CreateCollectionAsync("c", Model, Dimension);
        Assert.Empty(await again.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach"))));
        Assert.Empty(await other.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach"))));
        Assert.Equal("0", folder.Sql("SELECT count(*) FROM point_text"));
    }
}
