using ClipSearch.Core;
using ClipSearch.Core.Index;
using ClipSearch.Core.Ranking;
using ClipSearch.Engine.Search;
using ClipSearch.Engine.Stores;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Engine.Tests.Search;

/// <summary>
/// <see cref="ResultSearch"/> over a real embedded index: a collection of three strong matches of the query (cosine ~0.95),
/// a burst of near-duplicates among them, and 30 unrelated images (cosine 0.30 down to 0.01 in even steps).
/// </summary>
public sealed class ResultSearchTests : IDisposable
{
    private static readonly float[] Query = [1f, 0f, 0f, 0f];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "clipsearch-results-" + Guid.NewGuid().ToString("N"));
    private readonly List<VectorPoint> _points = [];

    // A unit vector at cosine `c` from the query, turned towards axis `side` (1-3).
    private static float[] At(float c, int side, float tilt = 0f)
    {
        var v = new float[4];
        v[0] = c;
        v[side] = MathF.Sqrt(1 - (c * c)) * MathF.Cos(tilt);
        v[side == 3 ? 1 : side + 1] = MathF.Sqrt(1 - (c * c)) * MathF.Sin(tilt);
        VectorMath.NormalizeInPlace(v);
        return v;
    }

    private async Task<IVectorCollection> CollectionAsync(StoreContext store)
    {
        var collection = await store.Store.CreateCollectionAsync("c", "m", 4);
        void Add(string path, float[] v, DateTime? taken, int day) =>
            _points.Add(new VectorPoint(PointIds.ForImage("/r", path), v, new ImagePayload
            {
                Root = "/r", Path = path, TakenAt = taken, ModifiedAt = new DateTimeOffset(2024, 1, day, 0, 0, 0, TimeSpan.Zero),
            }));

        // Matches: a burst of three near-identical shots of one scene (side 1) and one other shot (side 2).
        Add("burst-1.jpg", At(0.96f, 1), new DateTime(2020, 5, 1), 1);
        Add("burst-2.jpg", At(0.959f, 1, 0.01f), new DateTime(2022, 5, 1), 2);
        Add("burst-3.jpg", At(0.958f, 1, 0.02f), null, 3);
        Add("other.jpg", At(0.95f, 2), new DateTime(2021, 5, 1), 4);
        for (var i = 0; i < 30; i++)
        {
            Add($"unrelated-{i:00}.jpg", At(0.30f - (0.01f * i), 3, i * 0.2f), null, 5 + (i % 20));
        }

        await collection.UpsertAsync(_points);
        return collection;
    }

    private static string[] Names(ResultPage page) => [.. page.Hits.Select(h => h.Hit.Payload.Path)];

    [Fact]
    public async Task Jump_KeepsTheFourMatches_CountsTheThirtyWeaker_AndPagesWithoutOverlap()
    {
        using var store = StoreFactory.OpenEmbedded(new EmbeddedStoreOptions { Path = _folder });
        var collection = await CollectionAsync(store);

        var first = await ResultSearch.SearchAsync(collection, new ResultQuery(Query, 3, Cutoff: CutoffMethod.Jump));
        var second = await ResultSearch.SearchAsync(collection, new ResultQuery(Query, 3, 3, Cutoff: CutoffMethod.Jump));

        Assert.Equal(["burst-1.jpg", "burst-2.jpg", "burst-3.jpg"], Names(first));
        Assert.Equal(["other.jpg"], Names(second));
        Assert.Equal((4, 30L, "jump"), (first.Matches, first.Weaker, first.CutoffMethod));
        Assert.Equal(0.95f, first.CutoffScore!.Value, 3);
        // Without a cut: every result, nothing counted as weaker.
        var all = await ResultSearch.SearchAsync(collection, new ResultQuery(Query, 100));
        Assert.Equal((34, (int?)null, 0L), (all.Hits.Count, all.Matches, all.Weaker));
    }

    [Fact]
    public async Task RelativeCalibratedAndMinScore_CutAtTheirThresholds()
    {
        using var store = StoreFactory.OpenEmbedded(new EmbeddedStoreOptions { Path = _folder });
        var collection = await CollectionAsync(store);

        var relative = await ResultSearch.SearchAsync(collection, new ResultQuery(Query, 50, Cutoff: CutoffMethod.Relative));
        Assert.Equal(4, relative.Matches); // 0.96 - 0.3 x (0.96 - 0.18, the median of the 34 scores) = 0.726
        var calibrated = await ResultSearch.SearchAsync(collection, new ResultQuery(Query, 50, Cutoff: CutoffMethod.Calibrated), _ => Task.FromResult(0.255f));
        Assert.Equal((9, 25L, "calibrated"), (calibrated.Matches, calibrated.Weaker, calibrated.CutoffMethod)); // 4 + 0.30..0.26
        var fixedScore = await ResultSearch.SearchAsync(collection, new ResultQuery(Query, 50, MinScore: 0.285f, Cutoff: CutoffMethod.Jump));
        Assert.Equal((6, 28L, "min-score"), (fixedScore.Matches, fixedScore.Weaker, fixedScore.CutoffMethod)); // the fixed threshold overrides the jump
    }

    [Fact]
    public async Task Sort_ByDateTakenModifiedOrName_OrdersTheMatchesOnly()
    {
        using var store = StoreFactory.OpenEmbedded(new EmbeddedStoreOptions { Path = _folder });
        var collection = await CollectionAsync(store);

        var taken = await ResultSearch.SearchAsync(collection, new ResultQuery(Query, 10, Cutoff: CutoffMethod.Jump, Order: ResultOrder.Taken));
        Assert.Equal(["burst-2.jpg", "other.jpg", "burst-1.jpg", "burst-3.jpg"], Names(taken)); // no date taken last
        var modified = await ResultSearch.SearchAsync(collection, new ResultQuery(Query, 10, Cutoff: CutoffMethod.Jump, Order: ResultOrder.Modified));
        Assert.Equal(["other.jpg", "burst-3.jpg", "burst-2.jpg", "burst-1.jpg"], Names(modified));
        // Without a cut, the order applies to every result (the best MaxK).
        var name = await ResultSearch.SearchAsync(collection, new ResultQuery(Query, 2, 4, Order: ResultOrder.Name));
        Assert.Equal(["unrelated-00.jpg", "unrelated-01.jpg"], Names(name));
        Assert.Null(name.Matches);
    }

    [Fact]
    public async Task Diversity_LiftsTheOtherSceneAboveTheBurst_AndExcludeLeavesTheQueryImageOut()
    {
        using var store = StoreFactory.OpenEmbedded(new EmbeddedStoreOptions { Path = _folder });
        var collection = await CollectionAsync(store);

        var diverse = await ResultSearch.SearchAsync(collection, new ResultQuery(Query, 2, Cutoff: CutoffMethod.Jump, Diversity: 0.5f));
        Assert.Equal(["burst-1.jpg", "other.jpg"], Names(diverse));
        var next = await ResultSearch.SearchAsync(collection, new ResultQuery(Query, 2, 2, Cutoff: CutoffMethod.Jump, Diversity: 0.5f));
        Assert.Equal(["burst-1.jpg", "burst-2.jpg", "burst-3.jpg", "other.jpg"], Names(diverse).Concat(Names(next)).Order(StringComparer.Ordinal));

        var burst = _points[0];
        var like = await ResultSearch.SearchAsync(collection, new ResultQuery(burst.Vector, 10, Cutoff: CutoffMethod.Jump, Exclude: burst.Id));
        Assert.DoesNotContain("burst-1.jpg", Names(like));
        Assert.Equal(33, like.Matches + like.Weaker);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
