using ClipSearch.Core.Index;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Tests.Storage;

public abstract partial class VectorStoreConformanceTests
{
    private static readonly DateTimeOffset Utc2021 = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Six images whose vectors sit at 0, 10, ... 50 degrees from the query axis, so hits come back in this order.</summary>
    private static List<VectorPoint> FilterFixture()
    {
        var animals = (string label, float score) => new Dictionary<string, LabelAssignment> { ["animals"] = new(label, score, "run") };
        return
        [
            Point("2020/a.jpg", AtAngle(0), Payload("2020/a.jpg", format: "jpeg", width: 640, height: 480, taken: new DateTime(2020, 6, 1), modified: new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero)) with { Labels = animals("cat", 0.30f) }),
            Point("2020/b.png", AtAngle(10), Payload("2020/b.png", format: "png", width: 1920, height: 1080, taken: new DateTime(2020, 12, 31, 23, 59, 59), modified: new DateTimeOffset(2022, 5, 5, 0, 0, 0, TimeSpan.Zero)) with { Labels = animals("dog", 0.22f) }),
            Point("2020x/c.jpg", AtAngle(20), Payload("2020x/c.jpg", format: "jpeg", width: 100, height: 100, modified: new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero))),
            Point("2021/sub/d.webp", AtAngle(30), Payload("2021/sub/d.webp", format: "webp", width: 4000, height: 3000, taken: new DateTime(2021, 3, 3)) with { Labels = animals("cat", 0.18f) }),
            Point("e.gif", AtAngle(40), Payload("e.gif", format: "gif", width: 50, height: 50)),
            new(PointIds.ForImage("/other", "f.jpg"), AtAngle(50), Payload("f.jpg", root: "/other", format: "jpeg", width: 640, height: 480)),
        ];
    }

    public static TheoryData<string, string[]> FilterCases() => new()
    {
        { "folder /photos", ["2020/a.jpg", "2020/b.png", "2020x/c.jpg", "2021/sub/d.webp", "e.gif"] },
        { "folder /photos/2020", ["2020/a.jpg", "2020/b.png"] },
        { "folder /photos/2021", ["2021/sub/d.webp"] },
        { "folder /photos/2021/sub/", ["2021/sub/d.webp"] },
        { "format png,gif", ["2020/b.png", "e.gif"] },
        { "width 600..2000", ["2020/a.jpg", "2020/b.png", "f.jpg"] },
        { "height ..100", ["2020x/c.jpg", "e.gif"] },
        { "taken 2020", ["2020/a.jpg", "2020/b.png"] },
        { "not taken 2020", ["2020x/c.jpg", "2021/sub/d.webp", "e.gif", "f.jpg"] },
        { "modified 2021..2022", ["2020/a.jpg", "2020/b.png"] },
        { "modified ..2023", ["2020/a.jpg", "2020/b.png", "2020x/c.jpg"] },
        { "label cat", ["2020/a.jpg", "2021/sub/d.webp"] },
        { "label cat,dog >= 0.2", ["2020/a.jpg", "2020/b.png"] },
        { "label in other set", [] },
        { "jpeg and folder /photos", ["2020/a.jpg", "2020x/c.jpg"] },
        { "png or width <= 100", ["2020/b.png", "2020x/c.jpg", "e.gif"] },
        { "not folder /photos/2020 and not format gif", ["2020x/c.jpg", "2021/sub/d.webp", "f.jpg"] },
    };

    private static PointFilter Filter(string name) => name switch
    {
        "folder /photos" => new FolderFilter("/photos"),
        "folder /photos/2020" => new FolderFilter("/photos/2020"),
        "folder /photos/2021" => new FolderFilter("/photos/2021"),
        "folder /photos/2021/sub/" => new FolderFilter("/photos/2021/sub/"),
        "format png,gif" => new FormatFilter(["png", "gif"]),
        "width 600..2000" => new RangeFilter(NumericField.Width, 600, 2000),
        "height ..100" => new RangeFilter(NumericField.Height, null, 100),
        "taken 2020" => new DateRangeFilter(DateField.TakenAt, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 12, 31, 23, 59, 59, TimeSpan.Zero)),
        "not taken 2020" => !Filter("taken 2020"),
        "modified 2021..2022" => new DateRangeFilter(DateField.ModifiedAt, Utc2021, new DateTimeOffset(2022, 12, 31, 23, 59, 59, TimeSpan.Zero)),
        "modified ..2023" => new DateRangeFilter(DateField.ModifiedAt, null, new DateTimeOffset(2023, 12, 31, 0, 0, 0, TimeSpan.Zero)),
        "label cat" => new LabelFilter("animals", ["cat"]),
        "label cat,dog >= 0.2" => new LabelFilter("animals", ["cat", "dog"], 0.2f),
        "label in other set" => new LabelFilter("scenes", ["cat"]),
        "jpeg and folder /photos" => new FormatFilter(["jpeg"]) & new FolderFilter("/photos"),
        "png or width <= 100" => new FormatFilter(["png"]) | new RangeFilter(NumericField.Width, null, 100),
        "not folder /photos/2020 and not format gif" => !new FolderFilter("/photos/2020") & !new FormatFilter(["gif"]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [SkippableTheory]
    [MemberData(nameof(FilterCases))]
    public async Task Filter_EachKind_SearchCountScrollAndDeleteAgree(string filter, string[] expected)
    {
        var (store, c) = await NewCollectionAsync("f");
        using var _ = store;
        await c.UpsertAsync(FilterFixture());
        var f = Filter(filter);

        var hits = await c.SearchAsync(new VectorQuery(Axis(0), 10, Filter: f));
        Assert.Equal(expected, hits.Select(h => h.Payload.Path));
        Assert.Equal(expected.Length, await c.CountAsync(f));
        var scrolled = new List<string>();
        await foreach (var batch in c.ScrollAsync(f, batchSize: 2, withVectors: false))
        {
            scrolled.AddRange(batch.Select(p => p.Payload.Path));
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), scrolled.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Length, await c.DeleteAsync(f));
        Assert.Equal(6 - expected.Length, await c.CountAsync());
    }

    [SkippableFact]
    public async Task Search_SelectiveFilter_ReturnsExactlyKBestMatches()
    {
        var (store, c) = await NewCollectionAsync("sel");
        using var _ = store;
        // 600 points; only every 40th is a PNG (15 of them), and those sit far from the query.
        var points = Enumerable.Range(0, 600).Select(i =>
        {
            var png = i % 40 == 0;
            var angle = png ? 60 + (i / 40) : (i % 50) * 0.5;
            return Point($"p{i:000}.{(png ? "png" : "jpg")}", AtAngle(angle, 1 + (i % 7)), Payload($"p{i:000}.{(png ? "png" : "jpg")}", format: png ? "png" : "jpeg"));
        }).ToList();
        await c.UpsertAsync(points);
        var hits = await c.SearchAsync(new VectorQuery(Axis(0), 10, Filter: new FormatFilter(["png"])));
        Assert.Equal(10, hits.Count);
        Assert.All(hits, h => Assert.Equal("png", h.Payload.Format));
        var expected = points.Where(p => p.Payload.Format == "png").OrderByDescending(p => p.Vector[0]).Take(10).Select(p => p.Payload.Path);
        Assert.Equal(expected, hits.Select(h => h.Payload.Path));
    }

    [SkippableFact]
    public async Task Search_EqualScores_OrderedByAscendingId()
    {
        var (store, c) = await NewCollectionAsync("tie");
        using var _ = store;
        var points = Enumerable.Range(0, 6).Select(i => Point($"same{i}.jpg", AtAngle(30, 1 + i))).ToList();
        await c.UpsertAsync(points);
        var hits = await c.SearchAsync(new VectorQuery(Axis(0), 6));
        Assert.Equal(points.Select(p => p.Id).Order(), hits.Select(h => h.Id));
    }
}
