using ClipSearch.Core.Index;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Tests.Storage;

public abstract partial class VectorStoreConformanceTests
{
    private static readonly DateTimeOffset Noon = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Five images: dated and undated, with equal modification times for the ties.</summary>
    private static List<VectorPoint> BrowseFixture() =>
    [
        Point("b/old.jpg", Axis(0), Payload("b/old.jpg", taken: new DateTime(2019, 5, 1), modified: Noon.AddDays(3))),
        Point("a/new.jpg", Axis(1), Payload("a/new.jpg", taken: new DateTime(2023, 5, 1), modified: Noon)),
        Point("c/undated-late.png", Axis(2), Payload("c/undated-late.png", format: "png", modified: Noon.AddDays(5))),
        Point("a/undated-tie1.png", Axis(3), Payload("a/undated-tie1.png", format: "png", modified: Noon.AddDays(1))),
        Point("a/undated-tie2.png", Axis(4), Payload("a/undated-tie2.png", format: "png", modified: Noon.AddDays(1))),
    ];

    private static string[] Paths(IEnumerable<StoredPoint> points) => [.. points.Select(p => p.Payload.Path)];

    private static readonly string[] TiedPaths = ["a/undated-tie1.png", "a/undated-tie2.png"];

    /// <summary>The two tied images in id order.</summary>
    private static string[] Ties() => [.. TiedPaths.OrderBy(p => PointIds.ForImage("/photos", p))];

    [SkippableFact]
    public async Task Browse_EachOrder_SortsAsDocumentedWithTiesById()
    {
        var (store, c) = await NewCollectionAsync("browse");
        using var _ = store;
        await c.UpsertAsync(BrowseFixture());
        var browsable = Assert.IsAssignableFrom<IBrowsableCollection>(c);

        var byModified = Paths(await browsable.BrowseAsync(null, BrowseOrder.Modified, 0, 10));
        Assert.Equal(["c/undated-late.png", "b/old.jpg", .. Ties(), "a/new.jpg"], byModified);
        var byTaken = Paths(await browsable.BrowseAsync(null, BrowseOrder.Taken, 0, 10));
        Assert.Equal(["a/new.jpg", "b/old.jpg", "c/undated-late.png", .. Ties()], byTaken);
        var byName = Paths(await browsable.BrowseAsync(null, BrowseOrder.Name, 0, 10));
        Assert.Equal(["a/new.jpg", "a/undated-tie1.png", "a/undated-tie2.png", "b/old.jpg", "c/undated-late.png"], byName);
        Assert.All(await browsable.BrowseAsync(null, BrowseOrder.Name, 0, 10), p => Assert.Null(p.Vector));
    }

    [SkippableFact]
    public async Task Browse_Pages_NeitherOverlapNorSkip_AndFollowWrites()
    {
        var (store, c) = await NewCollectionAsync("browse");
        using var _ = store;
        await c.UpsertAsync(BrowseFixture());
        var browsable = (IBrowsableCollection)c;
        var whole = Paths(await browsable.BrowseAsync(null, BrowseOrder.Modified, 0, 10));
        var pages = new List<string>();
        for (var offset = 0; offset < 6; offset += 2)
        {
            pages.AddRange(Paths(await browsable.BrowseAsync(null, BrowseOrder.Modified, offset, 2)));
        }

        Assert.Equal(whole, pages);
        Assert.Empty(await browsable.BrowseAsync(null, BrowseOrder.Modified, 5, 2));

        // A write after a page was read shows in the next one (a cached order must not outlive a change).
        await c.UpsertAsync([Point("z/newest.jpg", Axis(5), Payload("z/newest.jpg", modified: Noon.AddDays(9)))]);
        await c.DeleteAsync([PointIds.ForImage("/photos", "b/old.jpg")]);
        var afterWrites = Paths(await browsable.BrowseAsync(null, BrowseOrder.Modified, 0, 10));
        Assert.Equal(["z/newest.jpg", "c/undated-late.png", .. Ties(), "a/new.jpg"], afterWrites);
    }

    [SkippableFact]
    public async Task Browse_Filter_PagesThroughTheMatchesOnly()
    {
        var (store, c) = await NewCollectionAsync("browse");
        using var _ = store;
        await c.UpsertAsync(BrowseFixture());
        var browsable = (IBrowsableCollection)c;
        var png = new FormatFilter(["png"]);
        var pngs = Paths(await browsable.BrowseAsync(png, BrowseOrder.Taken, 0, 10));
        Assert.Equal(["c/undated-late.png", .. Ties()], pngs);
        var pngsAfterTwo = Paths(await browsable.BrowseAsync(png, BrowseOrder.Taken, 2, 10));
        Assert.Equal([Ties()[1]], pngsAfterTwo);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => browsable.BrowseAsync(null, BrowseOrder.Name, -1, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => browsable.BrowseAsync(null, BrowseOrder.Name, 0, 0));
    }
}
