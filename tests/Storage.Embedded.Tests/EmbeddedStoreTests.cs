using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>Behaviour specific to the embedded store: several processes on one folder, locking, damaged files.</summary>
public sealed class EmbeddedStoreTests
{
    [Fact]
    public async Task TwoInstancesOnOneFolder_ReaderSeesEachCommittedWrite()
    {
        using var folder = new TempIndexFolder();
        using var writerStore = folder.Open();
        using var readerStore = folder.Open();
        var writer = await writerStore.CreateCollectionAsync("shared", Model, Dimension);
        var reader = await readerStore.OpenCollectionAsync("shared", Model, Dimension);
        Assert.Equal(0, await reader.CountAsync());

        await writer.UpsertAsync([Point("a.jpg", Axis(0)), Point("b.jpg", Axis(1))]);
        Assert.Equal(2, await reader.CountAsync());
        await writer.DeleteAsync([PointIds.ForImage("/photos", "a.jpg")]);
        await writer.SetLabelsAsync("animals", [new(PointIds.ForImage("/photos", "b.jpg"), new LabelAssignment("dog", 0.2f, "r"))]);
        var hits = await reader.SearchAsync(new VectorQuery(Axis(1), 5));
        Assert.Equal("b.jpg", Assert.Single(hits).Payload.Path);
        Assert.Equal("dog", hits[0].Payload.Labels["animals"].Label);

        // A write through the reader's instance is seen by the writer's too.
        await reader.UpsertAsync([Point("c.jpg", Axis(2))]);
        Assert.Equal(2, await writer.CountAsync());
    }

    [Fact]
    public async Task Labels_WrittenClearedAndReplacedInOneInstance_AnotherInstanceAndAFreshOneReadTheSame()
    {
        using var folder = new TempIndexFolder();
        using var writerStore = folder.Open();
        using var readerStore = folder.Open();
        var writer = await writerStore.CreateCollectionAsync("shared", Model, Dimension);
        var reader = await readerStore.OpenCollectionAsync("shared", Model, Dimension);
        var (a, b, c, d) = (PointIds.ForImage("/photos", "a.jpg"), PointIds.ForImage("/photos", "b.jpg"), PointIds.ForImage("/photos", "c.jpg"), PointIds.ForImage("/photos", "d.jpg"));
        var dogs = new Dictionary<string, LabelAssignment> { ["animals"] = new("dog", 0.4f, "r0") };
        await writer.UpsertAsync([Point("a.jpg", Axis(0)), Point("b.jpg", Axis(1)), Point("c.jpg", Axis(2)), Point("d.jpg", Axis(3), Payload("d.jpg") with { Labels = dogs })]);
        await writer.SetLabelsAsync("animals", [new(a, new LabelAssignment("cat", 0.3f, "r1")), new(b, new LabelAssignment("cat", 0.3f, "r1")), new(c, new LabelAssignment("owl", 0.2f, "r1"))]);
        await writer.SetLabelsAsync("scenes", [new(a, new LabelAssignment("beach", 0.2f, "r2")), new(b, new LabelAssignment("forest", 0.2f, "r2"))]);
        Assert.Equal(3, await reader.CountAsync(new LabelFilter("animals", ["cat", "owl"])));

        // Between two reads of the reader: a label overwritten, a set cleared on some points, a point upserted again
        // without labels (its labels go), a labelled point deleted and added again without labels, a labelled point
        // written again with other labels.
        await writer.SetLabelsAsync("animals", [new(a, new LabelAssignment("lynx", 0.35f, "r3"))]);
        Assert.Equal(1, await writer.ClearLabelsAsync("scenes", new LabelFilter("scenes", ["forest"])));
        await writer.UpsertAsync([Point("c.jpg", Axis(2))]);
        await writer.DeleteAsync([b]);
        await writer.UpsertAsync([Point("b.jpg", Axis(1)), Point("d.jpg", Axis(3), Payload("d.jpg") with { Labels = new Dictionary<string, LabelAssignment> { ["scenes"] = new("city", 0.3f, "r0") } })]);

        foreach (var store in new[] { readerStore, folder.Open() })
        {
            var view = await store.OpenCollectionAsync("shared", Model, Dimension);
            var labels = new Dictionary<Guid, string>();
            foreach (var id in new[] { a, b, c, d })
            {
                labels[id] = string.Join(" ", (await view.GetAsync(id))!.Payload.Labels.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value.Label}"));
            }

            Assert.Equal("animals=lynx scenes=beach", labels[a]);
            Assert.Equal("", labels[b]);
            Assert.Equal("", labels[c]);
            Assert.Equal("scenes=city", labels[d]);
            Assert.Equal([a], (await view.SearchAsync(new VectorQuery(Axis(1), 10, Filter: new LabelFilter("animals", ["lynx", "cat", "owl", "dog"])))).Select(h => h.Id));
            if (store != readerStore)
            {
                store.Dispose();
            }
        }
    }

    [Fact]
    public async Task OpenCollection_Missing_PublicMessageLeavesOutTheFolder()
    {
        using var folder = new TempIndexFolder();
        using var store = folder.Open();

        var e = await Assert.ThrowsAsync<VectorStoreException>(() => store.OpenCollectionAsync("absent", Model, Dimension));

        Assert.Equal(VectorStoreErrorKind.CollectionNotFound, e.Kind);
        Assert.Contains(folder.Path, e.Message, StringComparison.Ordinal); // the operator's (CLI, log) wording names it
        Assert.Equal("Collection 'absent' does not exist; index some images into it first.", e.PublicMessage);
    }

    [Fact]
    public async Task VectorRows_FollowTheirPointsThroughReplaceDeleteAndDrop()
    {
        using var folder = new TempIndexFolder();
        using (var store = folder.Open())
        {
            var c = await store.CreateCollectionAsync("c", Model, Dimension);
            await c.UpsertAsync([Point("a.jpg", Axis(0)), Point("b.jpg", Axis(1)), Point("c.jpg", Axis(2))]);
            await c.UpsertAsync([Point("a.jpg", Axis(3))]); // a point keeps its key; its vector row is replaced
            await c.DeleteAsync([PointIds.ForImage("/photos", "b.jpg")]);
        }

        string Hex(int axis) => Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Axis(axis).AsSpan()));
        Assert.Equal($"0:{Hex(3)},2:{Hex(2)}", folder.Sql("SELECT group_concat(key || ':' || hex(vector), ',') FROM (SELECT key, vector FROM point_vectors ORDER BY key)"));

        // Without its row file, a store reads every vector back from the database.
        Directory.Delete(Path.Combine(folder.Path, "rows"), recursive: true);
        using (var store = folder.Open())
        {
            var c = await store.OpenCollectionAsync("c", Model, Dimension);
            Assert.Equal("a.jpg", (await c.SearchAsync(new VectorQuery(Axis(3), 1)))[0].Payload.Path);
            Assert.Equal("c.jpg", (await c.SearchAsync(new VectorQuery(Axis(2), 1)))[0].Payload.Path);
            await store.DropCollectionAsync("c");
        }

        Assert.Equal("0", folder.Sql("SELECT count(*) FROM point_vectors"));
    }

    [Fact]
    public async Task DroppedAndRecreatedElsewhere_OpenInstanceReloadsTheNewOne()
    {
        using var folder = new TempIndexFolder();
        using var a = folder.Open();
        using var b = folder.Open();
        var first = await a.CreateCollectionAsync("c", Model, Dimension);
        await first.UpsertAsync([Point("old.jpg", Axis(0))]);
        Assert.Equal(1, await first.CountAsync());
        await b.DropCollectionAsync("c");
        var e = await Assert.ThrowsAsync<VectorStoreException>(() => first.CountAsync());
        Assert.Equal(VectorStoreErrorKind.CollectionNotFound, e.Kind);
        var second = await b.CreateCollectionAsync("c", Model, Dimension);
        await second.UpsertAsync([Point("new.jpg", Axis(1))]);
        var reopened = await a.OpenCollectionAsync("c", Model, Dimension);
        Assert.Equal(["new.jpg"], (await reopened.SearchAsync(new VectorQuery(Axis(1), 5))).Select(h => h.Payload.Path));
    }

    [Fact]
    public async Task SecondWriter_WhileAnotherProcessWrites_WaitsThenGetsAClearMessage()
    {
        using var folder = new TempIndexFolder();
        using var store = folder.Open(busy: TimeSpan.FromMilliseconds(300));
        var c = await store.CreateCollectionAsync("c", Model, Dimension);
        await c.UpsertAsync([Point("a.jpg", Axis(0))]);

        // Another process holding the write lock: a raw connection in an open write transaction.
        using (var other = new SqliteConnection($"Data Source={Path.Combine(folder.Path, "index.db")};Pooling=False"))
        {
            other.Open();
            using var tx = other.BeginTransaction(deferred: false);
            using (var touch = other.CreateCommand())
            {
                touch.Transaction = tx;
                touch.CommandText = "UPDATE meta SET value = value WHERE key = 'schema_version'";
                touch.ExecuteNonQuery();
            }

            var e = await Assert.ThrowsAsync<VectorStoreException>(() => c.UpsertAsync([Point("b.jpg", Axis(1))]));
            Assert.Equal(VectorStoreErrorKind.Busy, e.Kind);
            Assert.Contains("being written by another process", e.Message, StringComparison.Ordinal);
            Assert.Contains(folder.Path, e.Message, StringComparison.Ordinal);
            Assert.Contains("being written by another process", e.PublicMessage, StringComparison.Ordinal);
            Assert.DoesNotContain(folder.Path, e.PublicMessage, StringComparison.Ordinal);

            // Readers are not blocked by the writer.
            Assert.Equal(1, await c.CountAsync());
            Assert.Single(await c.SearchAsync(new VectorQuery(Axis(0), 3)));
            tx.Rollback();
        }

        await c.UpsertAsync([Point("b.jpg", Axis(1))]);
        Assert.Equal(2, await c.CountAsync());
    }

    [Fact]
    public void Open_DamagedIndexFile_ClearMessageNamingIt()
    {
        using var folder = new TempIndexFolder();
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "index.db"), "this is not a database, it only has the name of one, and some more text to fill a page");
        var e = Assert.Throws<VectorStoreException>(() => folder.Open());
        Assert.Equal(VectorStoreErrorKind.Failed, e.Kind);
        Assert.Contains("index.db", e.Message, StringComparison.Ordinal);
        Assert.Contains("damaged or not a ClipSearch index", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_LargeCollection_ParallelScanMatchesBruteForce()
    {
        using var folder = new TempIndexFolder();
        using var store = folder.Open();
        var c = await store.CreateCollectionAsync("big", Model, Dimension);
        var random = new Random(7);
        var points = new List<VectorPoint>();
        for (var i = 0; i < 40_000; i++)
        {
            var v = new float[Dimension];
            for (var d = 0; d < Dimension; d++)
            {
                v[d] = (float)(random.NextDouble() - 0.5);
            }

            var norm = MathF.Sqrt(v.Sum(x => x * x));
            points.Add(Point($"p{i}.jpg", v.Select(x => x / norm).ToArray(), Payload($"p{i}.jpg", width: i)));
        }

        foreach (var chunk in points.Chunk(5000))
        {
            await c.UpsertAsync(chunk);
        }

        var query = points[123].Vector;
        var expected = points.Select(p => (p.Id, Score: p.Vector.Zip(query, (a, b) => a * b).Sum()))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(20).Select(x => x.Id).ToList();
        var hits = await c.SearchAsync(new VectorQuery(query, 20));
        Assert.Equal(expected, hits.Select(h => h.Id));
        Assert.Equal(points[123].Id, hits[0].Id);

        // Filtered, with matches enough to be scanned in parallel too: only their rows are read, and the same best.
        var filter = new RangeFilter(NumericField.Width, 100, 36_099); // 36,000 matches, not point 123
        expected = points.Where(p => filter.Matches(p.Payload)).Select(p => (p.Id, Score: p.Vector.Zip(query, (a, b) => a * b).Sum()))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(20).Select(x => x.Id).ToList();
        hits = await c.SearchAsync(new VectorQuery(query, 20, Filter: filter));
        Assert.Equal(expected, hits.Select(h => h.Id));
    }
}
