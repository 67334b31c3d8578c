using ClipSearch.Core;
using ClipSearch.Core.Index;
using ClipSearch.Engine.Search;
using ClipSearch.Engine.Stores;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Engine.Tests.Search;

public sealed class CollectionSearchTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "clipsearch-search-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Search_ExcludingTheQueryImage_PagesThroughEveryOtherImageInExactOrder()
    {
        using var store = StoreFactory.OpenEmbedded(new EmbeddedStoreOptions { Path = _folder });
        var collection = await store.Store.CreateCollectionAsync("c", "m", 8);
        var random = new Random(3);
        var points = Enumerable.Range(0, 40).Select(i =>
        {
            var v = Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            VectorMath.NormalizeInPlace(v);
            return new VectorPoint(PointIds.NameBased($"p{i}"), v, new ImagePayload { Root = "/r", Path = $"{i}.jpg" });
        }).ToList();
        await collection.UpsertAsync(points);
        var query = points[7];

        // The reference: every other point by exact cosine, best first, ties by id.
        var expected = points.Where(p => p.Id != query.Id)
            .Select(p => (p.Id, Score: VectorMath.Cosine(query.Vector, p.Vector)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Select(x => x.Id).ToList();
        var paged = new List<Guid>();
        for (var offset = 0; offset < 39; offset += 5)
        {
            var page = await CollectionSearch.SearchAsync(collection, new VectorQuery(query.Vector, 5, offset), query.Id);
            Assert.True(page.Count == Math.Min(5, 39 - offset), $"page at {offset} has {page.Count}");
            paged.AddRange(page.Select(h => h.Id));
        }

        Assert.Equal(expected, paged);
    }

    [Fact]
    public async Task Find_ByIdOrByPath_IsThePointWithItsVector()
    {
        using var store = StoreFactory.OpenEmbedded(new EmbeddedStoreOptions { Path = _folder });
        var collection = await store.Store.CreateCollectionAsync("c", "m", 2);
        var point = new VectorPoint(Guid.NewGuid(), [0.6f, 0.8f], new ImagePayload { Root = "/photos", Path = "trip/a b.jpg" });
        await collection.UpsertAsync([point]);
        Assert.Equal(point.Vector, (await CollectionSearch.FindAsync(collection, point.Id.ToString()))!.Vector);
        Assert.Equal(point.Id, (await CollectionSearch.FindAsync(collection, "/photos/trip/a b.jpg"))!.Id);
        Assert.Null(await CollectionSearch.FindAsync(collection, "/photos/trip/other.jpg"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
