using ClipSearch.Core.Index;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Tests.Storage;

/// <summary>
/// The vector-store contract, as one suite that every backend derives once. Each test owns its store
/// instance and a uniquely named collection.
/// </summary>
public abstract partial class VectorStoreConformanceTests
{
    private const float Tolerance = 1e-5f;

    /// <summary>A store instance; two calls must reach the same data (same folder, same server).</summary>
    protected abstract IVectorStore CreateStore();

    /// <summary>Null when the backend can run here; otherwise the reason its tests are skipped.</summary>
    protected virtual string? SkipReason => null;

    protected async Task<(IVectorStore Store, IVectorCollection Collection)> NewCollectionAsync(string prefix = "c")
    {
        Skip.If(SkipReason is not null, SkipReason);
        var store = CreateStore();
        var collection = await store.CreateCollectionAsync(UniqueName(prefix), Model, Dimension);
        return (store, collection);
    }

    [SkippableFact]
    public async Task CreateCollection_New_InfoReportsModelDimensionAndBackend()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        var info = await c.GetInfoAsync();
        Assert.Equal((c.Name, Model, Dimension, 0L, store.Backend), (info.Name, info.ModelId, info.Dimension, info.Count, info.Backend));
        Assert.Contains(await store.ListCollectionsAsync(), i => i.Name == c.Name && i.ModelId == Model);
    }

    [SkippableFact]
    public async Task CreateCollection_ExistingName_RefusedAsExists()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        var e = await Assert.ThrowsAsync<VectorStoreException>(() => store.CreateCollectionAsync(c.Name, Model, Dimension));
        Assert.Equal(VectorStoreErrorKind.CollectionExists, e.Kind);
    }

    [SkippableFact]
    public async Task OpenCollection_Missing_RefusedAsNotFound()
    {
        Skip.If(SkipReason is not null, SkipReason);
        using var store = CreateStore();
        var e = await Assert.ThrowsAsync<VectorStoreException>(() => store.OpenCollectionAsync(UniqueName("missing"), Model, Dimension));
        Assert.Equal(VectorStoreErrorKind.CollectionNotFound, e.Kind);
    }

    [SkippableFact]
    public async Task OpenCollection_OtherModelOrDimension_RefusedNamingBoth()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        var model = await Assert.ThrowsAsync<VectorStoreException>(() => store.OpenCollectionAsync(c.Name, "other-model", Dimension));
        Assert.Equal(VectorStoreErrorKind.ModelMismatch, model.Kind);
        Assert.Contains(Model, model.Message, StringComparison.Ordinal);
        Assert.Contains("other-model", model.Message, StringComparison.Ordinal);
        var dimension = await Assert.ThrowsAsync<VectorStoreException>(() => store.OpenCollectionAsync(c.Name, Model, 512));
        Assert.Equal(VectorStoreErrorKind.ModelMismatch, dimension.Kind);
        Assert.Equal(c.Name, (await store.OpenCollectionAsync(c.Name, Model, Dimension)).Name);
    }

    [SkippableFact]
    public async Task DropCollection_Existing_GoneAfterwards()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        await c.UpsertAsync([Point("a.jpg", Axis(0))]);
        Assert.True(await store.DropCollectionAsync(c.Name));
        Assert.False(await store.DropCollectionAsync(c.Name));
        Assert.DoesNotContain(await store.ListCollectionsAsync(), i => i.Name == c.Name);
        var e = await Assert.ThrowsAsync<VectorStoreException>(() => store.OpenCollectionAsync(c.Name, Model, Dimension));
        Assert.Equal(VectorStoreErrorKind.CollectionNotFound, e.Kind);
    }

    [SkippableFact]
    public async Task Upsert_ThenGet_RoundTripsEveryPayloadField()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        var payload = Payload("2023/été/photo 1 ✓.jpg", format: "png", width: 4032, height: 3024,
            taken: new DateTime(2023, 7, 14, 18, 30, 5), modified: new DateTimeOffset(2024, 2, 3, 4, 5, 6, 789, TimeSpan.Zero), size: 3_456_789) with
        {
            Labels = new Dictionary<string, LabelAssignment>
            {
                ["animals"] = new("cat", 0.3125f, "run-1", "dog", 0.25f),
                ["scenes"] = new("indoor", 0.28125f, "run-2"),
            },
        };
        var vector = AtAngle(30);
        var point = new VectorPoint(PointIds.ForImage("/photos", payload.Path), vector, payload);
        await c.UpsertAsync([point]);

        var stored = await c.GetAsync(point.Id, withVector: true);
        Assert.NotNull(stored);
        Assert.Equal(payload, stored.Payload);
        Assert.Equal(vector.Length, stored.Vector!.Length);
        for (var i = 0; i < vector.Length; i++)
        {
            Assert.Equal(vector[i], stored.Vector[i], Tolerance);
        }

        Assert.Null((await c.GetAsync(point.Id, withVector: false))!.Vector);
    }

    [SkippableFact]
    public async Task Get_MissingId_ReturnsNull()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        Assert.Null(await c.GetAsync(Guid.NewGuid()));
    }

    [SkippableFact]
    public async Task Upsert_SameIdAgain_ReplacesVectorAndPayload()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        await c.UpsertAsync([Point("a.jpg", Axis(0)), Point("b.jpg", Axis(1))]);
        await c.UpsertAsync([Point("a.jpg", Axis(2), Payload("a.jpg", width: 99))]);
        Assert.Equal(2, await c.CountAsync());
        var a = await c.GetAsync(PointIds.ForImage("/photos", "a.jpg"), withVector: true);
        Assert.Equal(99, a!.Payload.Width);
        Assert.Equal(1f, a.Vector![2], Tolerance);
        var hit = Assert.Single(await c.SearchAsync(new VectorQuery(Axis(2), 1)));
        Assert.Equal(a.Id, hit.Id);
    }

    [SkippableFact]
    public async Task Search_KnownAngles_CosineScoresBestFirst()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        double[] angles = [50, 0, 170, 20, 90, 35, 120];
        await c.UpsertAsync(angles.Select(a => Point($"{a}.jpg", AtAngle(a))).ToList());
        var hits = await c.SearchAsync(new VectorQuery(Axis(0), 10));
        var expected = angles.OrderBy(a => a).ToList();
        Assert.Equal(expected.Select(a => $"{a}.jpg"), hits.Select(h => h.Payload.Path));
        for (var i = 0; i < hits.Count; i++)
        {
            Assert.Equal((float)Math.Cos(expected[i] * Math.PI / 180), hits[i].Score, Tolerance);
        }
    }

    [SkippableFact]
    public async Task Search_KOffsetAndMinScore_PageAndCut()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        await c.UpsertAsync(Enumerable.Range(0, 10).Select(i => Point($"{i * 10}.jpg", AtAngle(i * 10))).ToList());
        var page2 = await c.SearchAsync(new VectorQuery(Axis(0), 3, Offset: 3));
        Assert.Equal(["30.jpg", "40.jpg", "50.jpg"], page2.Select(h => h.Payload.Path));
        var above = await c.SearchAsync(new VectorQuery(Axis(0), 10, MinScore: (float)Math.Cos(45 * Math.PI / 180)));
        Assert.Equal(["0.jpg", "10.jpg", "20.jpg", "30.jpg", "40.jpg"], above.Select(h => h.Payload.Path));
        Assert.Empty(await c.SearchAsync(new VectorQuery(Axis(0), 5, Offset: 10)));
    }

    [SkippableFact]
    public async Task Search_BadQueries_RefusedClearly()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        var wrongDimension = await Assert.ThrowsAsync<VectorStoreException>(() => c.SearchAsync(new VectorQuery(new float[4] { 1, 0, 0, 0 }, 5)));
        Assert.Equal(VectorStoreErrorKind.ModelMismatch, wrongDimension.Kind);
        var notUnit = new float[Dimension];
        notUnit[0] = 2f;
        Assert.Equal(VectorStoreErrorKind.InvalidRequest, (await Assert.ThrowsAsync<VectorStoreException>(() => c.SearchAsync(new VectorQuery(notUnit, 5)))).Kind);
        Assert.Equal(VectorStoreErrorKind.InvalidRequest, (await Assert.ThrowsAsync<VectorStoreException>(() => c.SearchAsync(new VectorQuery(Axis(0), 0)))).Kind);
        Assert.Equal(VectorStoreErrorKind.InvalidRequest, (await Assert.ThrowsAsync<VectorStoreException>(() => c.SearchAsync(new VectorQuery(Axis(0), 5, Filter: new FormatFilter([]))))).Kind);
    }

    [SkippableFact]
    public async Task Upsert_BatchWithOneBadVector_AppliesNothing()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        var bad = new float[Dimension];
        var e = await Assert.ThrowsAsync<VectorStoreException>(() => c.UpsertAsync([Point("good.jpg", Axis(0)), Point("bad.jpg", bad)]));
        Assert.Equal(VectorStoreErrorKind.InvalidRequest, e.Kind);
        Assert.Equal(0, await c.CountAsync());
    }

    [SkippableFact]
    public async Task Delete_ByIdsAndByFilter_RemovesExactlyThose()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        await c.UpsertAsync([Point("a.jpg", Axis(0)), Point("b.png", Axis(1), Payload("b.png", format: "png")), Point("c.jpg", Axis(2)), Point("d.png", Axis(3), Payload("d.png", format: "png"))]);
        Assert.Equal(1, await c.DeleteAsync([PointIds.ForImage("/photos", "a.jpg"), Guid.NewGuid()]));
        Assert.Equal(2, await c.DeleteAsync(new FormatFilter(["png"])));
        var left = await c.SearchAsync(new VectorQuery(Axis(2), 10));
        Assert.Equal(["c.jpg"], left.Select(h => h.Payload.Path));
        Assert.Equal(1, await c.CountAsync());
    }

    [SkippableFact]
    public async Task Scroll_WholeAndFiltered_EachPointExactlyOnce()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        var points = Enumerable.Range(0, 257).Select(i => Point($"p{i}.jpg", AtAngle(i % 180, 1 + (i % 7)), Payload($"p{i}.jpg", width: i))).ToList();
        await c.UpsertAsync(points);
        var seen = new List<StoredPoint>();
        await foreach (var batch in c.ScrollAsync(batchSize: 50))
        {
            Assert.InRange(batch.Count, 1, 50);
            seen.AddRange(batch);
        }

        Assert.Equal(points.Select(p => p.Id).Order(), seen.Select(p => p.Id).Order());
        Assert.All(seen, s => Assert.Equal(Dimension, s.Vector!.Length));
        var wide = new List<Guid>();
        await foreach (var batch in c.ScrollAsync(new RangeFilter(NumericField.Width, 200, null), batchSize: 16, withVectors: false))
        {
            Assert.All(batch, p => Assert.Null(p.Vector));
            wide.AddRange(batch.Select(p => p.Id));
        }

        Assert.Equal(points.Where(p => p.Payload.Width >= 200).Select(p => p.Id).Order(), wide.Order());
        Assert.Equal(57, await c.CountAsync(new RangeFilter(NumericField.Width, 200, null)));
    }

    [SkippableFact]
    public async Task Labels_SetAndClear_OtherSetsUntouched()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        await c.UpsertAsync([Point("a.jpg", Axis(0)), Point("b.jpg", Axis(1)), Point("c.jpg", Axis(2))]);
        var a = PointIds.ForImage("/photos", "a.jpg");
        var b = PointIds.ForImage("/photos", "b.jpg");
        await c.SetLabelsAsync("animals", [new(a, new LabelAssignment("cat", 0.3f, "r1", "dog", 0.2f)), new(b, new LabelAssignment("dog", 0.25f, "r1")), new(Guid.NewGuid(), new LabelAssignment("x", 0.1f, "r1"))]);
        await c.SetLabelsAsync("scenes", [new(a, new LabelAssignment("indoor", 0.27f, "r2"))]);

        var cats = await c.SearchAsync(new VectorQuery(Axis(1), 10, Filter: new LabelFilter("animals", ["cat"])));
        Assert.Equal([a], cats.Select(h => h.Id));
        Assert.Equal(new LabelAssignment("cat", 0.3f, "r1", "dog", 0.2f), (await c.GetAsync(a))!.Payload.Labels["animals"]);

        Assert.Equal(2, await c.ClearLabelsAsync("animals"));
        var labelsOfA = (await c.GetAsync(a))!.Payload.Labels;
        Assert.False(labelsOfA.ContainsKey("animals"));
        Assert.Equal("indoor", labelsOfA["scenes"].Label);
        Assert.Equal(0, await c.CountAsync(new LabelFilter("animals", ["cat", "dog"])));
    }

    [SkippableFact]
    public async Task Labels_MultiLabel_FurtherLabelsRoundTripAndMatchWithTheirOwnScore()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        await c.UpsertAsync([Point("a.jpg", Axis(0)), Point("b.jpg", Axis(1)), Point("c.jpg", Axis(2))]);
        var a = PointIds.ForImage("/photos", "a.jpg");
        var b = PointIds.ForImage("/photos", "b.jpg");
        var c3 = PointIds.ForImage("/photos", "c.jpg");
        // a: cat best, also "indoor" (0.6) and "sofa" (0.2); b: dog, nothing further; c: none of these.
        var tagsOfA = new LabelAssignment("cat", 0.9f, "r1", "indoor", 0.6f, [new ScoredLabel("indoor", 0.6f), new ScoredLabel("sofa", 0.2f)]);
        await c.SetLabelsAsync("tags", [new(a, tagsOfA), new(b, new LabelAssignment("dog", 0.8f, "r1", "indoor", 0.1f, [])), new(c3, new LabelAssignment("", 0.1f, "r1", null, null, []))]);

        Assert.Equal(tagsOfA, (await c.GetAsync(a))!.Payload.Labels["tags"]);
        Assert.Equal([new ScoredLabel("indoor", 0.6f), new ScoredLabel("sofa", 0.2f)], (await c.GetAsync(a))!.Payload.Labels["tags"].Also);
        Assert.Empty((await c.GetAsync(b))!.Payload.Labels["tags"].Also!);

        async Task<Guid[]> Matching(PointFilter filter) =>
            [.. (await c.SearchAsync(new VectorQuery(Axis(0), 10, Filter: filter))).Select(h => h.Id).Order()];

        Assert.Equal([a], await Matching(new LabelFilter("tags", ["indoor"])));                // a further label
        Assert.Equal([a], await Matching(new LabelFilter("tags", ["indoor"], 0.5f)));          // its own score, 0.6, passes
        Assert.Empty(await Matching(new LabelFilter("tags", ["sofa"], 0.5f)));                 // sofa's own 0.2 does not, though a's best is 0.9
        Assert.Empty(await Matching(new LabelFilter("tags", ["indoor"], 0.7f)));               // b's runner-up "indoor" is no label of b
        Assert.Equal(new[] { a, b }.Order(), await Matching(new LabelFilter("tags", ["sofa", "dog"])));
        Assert.Equal(2, await c.CountAsync(new LabelFilter("tags", ["cat", "dog", "indoor"])));
        Assert.Equal([b], await Matching(new LabelFilter("tags", ["dog", "sofa"]) & !new LabelFilter("tags", ["indoor"])));
    }

    [SkippableFact]
    public async Task Reopen_NewStoreInstance_SeesEverythingWritten()
    {
        var (store, c) = await NewCollectionAsync();
        await c.UpsertAsync([Point("a.jpg", Axis(0)), Point("b.jpg", Axis(1))]);
        await c.SetLabelsAsync("animals", [new(PointIds.ForImage("/photos", "a.jpg"), new LabelAssignment("cat", 0.3f, "r1"))]);
        // Every field of an assignment survives the reopen: runner-up and its score, further labels, a set cleared.
        await c.SetLabelsAsync("tags", [new(PointIds.ForImage("/photos", "b.jpg"), new LabelAssignment("sofa", 0.9f, "r2", "bed", 0.4f, [new("indoor", 0.6f)]))]);
        await c.SetLabelsAsync("mood", [new(PointIds.ForImage("/photos", "b.jpg"), new LabelAssignment("calm", 0.2f, "r3"))]);
        await c.ClearLabelsAsync("mood");
        store.Dispose();

        using var reopened = CreateStore();
        var again = await reopened.OpenCollectionAsync(c.Name, Model, Dimension);
        Assert.Equal(2, await again.CountAsync());
        Assert.Equal(new LabelAssignment("cat", 0.3f, "r1"), (await again.GetAsync(PointIds.ForImage("/photos", "a.jpg")))!.Payload.Labels["animals"]);
        var b = (await again.GetAsync(PointIds.ForImage("/photos", "b.jpg")))!.Payload.Labels;
        Assert.Equal(["tags"], b.Keys);
        Assert.Equal(("sofa", 0.9f, "r2", "bed", 0.4f), (b["tags"].Label, b["tags"].Score, b["tags"].RunId, b["tags"].RunnerUp, b["tags"].RunnerUpScore));
        Assert.Equal([new ScoredLabel("indoor", 0.6f)], b["tags"].Also);
        Assert.Equal("a.jpg", (await again.SearchAsync(new VectorQuery(Axis(0), 1)))[0].Payload.Path);
    }

    [SkippableFact]
    public async Task ConcurrentReaders_WhileOneWriterWrites_SeeOnlyWholeBatches()
    {
        var (store, c) = await NewCollectionAsync();
        using var _ = store;
        const int batches = 20;
        const int batchSize = 25;
        var writer = Task.Run(async () =>
        {
            for (var b = 0; b < batches; b++)
            {
                await c.UpsertAsync(Enumerable.Range(0, batchSize).Select(i => Point($"b{b}/i{i}.jpg", AtAngle((b * batchSize) + i, 1 + (i % 7)))).ToList());
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            long last = 0;
            while (!writer.IsCompleted)
            {
                var count = await c.CountAsync();
                Assert.Equal(0, count % batchSize);
                Assert.True(count >= last, "a reader saw the collection shrink");
                last = count;
                var hits = await c.SearchAsync(new VectorQuery(Axis(0), 5));
                Assert.True(hits.Count <= Math.Max(5, count));
            }
        })).ToList();
        await Task.WhenAll([writer, .. readers]);
        Assert.Equal(batches * batchSize, await c.CountAsync());
    }
}
