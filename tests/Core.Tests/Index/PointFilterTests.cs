using ClipSearch.Core.Index;

namespace ClipSearch.Core.Tests.Index;

/// <summary>The reference semantics of filters, which every backend must reproduce.</summary>
public sealed class PointFilterTests
{
    private static readonly ImagePayload Photo = new()
    {
        Path = "2020/summer/a.jpg",
        Root = "/photos",
        Format = "jpeg",
        Width = 640,
        Height = 480,
        ModifiedAt = new DateTimeOffset(2021, 5, 1, 0, 0, 0, TimeSpan.Zero),
        Labels = new Dictionary<string, LabelAssignment> { ["animals"] = new("cat", 0.3f, "r") },
    };

    [Theory]
    [InlineData("/photos", true)]
    [InlineData("/photos/2020", true)]
    [InlineData("/photos/2020/summer", true)]
    [InlineData("/photos/2020/summer/", true)]
    [InlineData("/photos/20", false)]
    [InlineData("/photos/2020/sum", false)]
    [InlineData("/other", false)]
    public void Folder_AncestorsMatchAndPrefixesDoNot(string folder, bool matches)
    {
        Assert.Equal(matches, new FolderFilter(folder).Matches(Photo));
    }

    [Theory]
    [InlineData("/photos", "a.jpg")]
    [InlineData("/photos", "2020/summer/a.jpg")]
    [InlineData("/photos/", "2020/a.jpg")]
    [InlineData("/", "x/y/z.png")]
    [InlineData("/photos", "20/2020/a.jpg")]
    public void IsInFolder_AnyFolder_AgreesWithTheFolderList(string root, string path)
    {
        var payload = new ImagePayload { Root = root, Path = path };
        var folders = payload.Folders();
        string[] probes = ["/", "/photos", "/photos/", "/photos/2020", "/photos/20", "/photos/2020/summer", "/photos/20/2020", "/x", "/x/y", "/x/y/z.png", "/photosx", "//x"];
        foreach (var probe in probes.Concat(folders))
        {
            Assert.True(folders.Contains(probe) == payload.IsInFolder(probe), $"{root} + {path}: '{probe}'");
        }
    }

    [Fact]
    public void MissingField_ConditionFalseAndNegationTrue()
    {
        var taken = new DateRangeFilter(DateField.TakenAt, new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), null);
        Assert.False(taken.Matches(Photo));
        Assert.True((!taken).Matches(Photo));
        Assert.False(new LabelFilter("scenes", ["indoor"]).Matches(Photo));
    }

    [Fact]
    public void Combinators_AndOrNot()
    {
        var jpeg = new FormatFilter(["jpeg"]);
        var wide = new RangeFilter(NumericField.Width, 1000, null);
        Assert.False((jpeg & wide).Matches(Photo));
        Assert.True((jpeg | wide).Matches(Photo));
        Assert.True((jpeg & !wide).Matches(Photo));
        Assert.True(new LabelFilter("animals", ["cat", "dog"], 0.3f).Matches(Photo));
        Assert.False(new LabelFilter("animals", ["cat"], 0.31f).Matches(Photo));
    }

    [Fact]
    public void Validate_MalformedFilters_InvalidRequest()
    {
        PointFilter[] bad =
        [
            new FolderFilter("relative/path"), new FormatFilter([]), new RangeFilter(NumericField.Width, 5, 1),
            new RangeFilter(NumericField.Height, null, null), new LabelFilter("bad set!", ["x"]), new OrFilter([]),
        ];
        foreach (var f in bad)
        {
            Assert.Equal(VectorStoreErrorKind.InvalidRequest, Assert.Throws<VectorStoreException>(f.Validate).Kind);
        }
    }
}
