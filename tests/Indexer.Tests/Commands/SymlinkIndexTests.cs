using SixLabors.ImageSharp;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary><c>clipsearch index --follow-symlinks</c> on links to image files (issue 15, item 7).</summary>
public sealed class SymlinkIndexTests
{
    [Fact]
    public async Task Index_FollowSymlinksToImagesInsideAndOutside_IndexesThemAndRerunDoesNoWork()
    {
        using var folder = new IndexTestFolder();
        folder.WriteImage("photo.png", 1);
        var outside = Path.Combine(folder.Root, "elsewhere.jpg");
        using (var picture = Indexing.Tests.TestImageFolder.Picture(2, 48, 40))
        {
            picture.Save(outside, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder());
        }

        File.CreateSymbolicLink(folder.PathOf("outside-link.jpg"), outside);
        File.CreateSymbolicLink(folder.PathOf("inside-link.png"), folder.PathOf("photo.png"));

        var (exit, summary, stderr) = await folder.IndexAsync("--follow-symlinks");

        Assert.True(exit == 0, stderr);
        Assert.Empty(await folder.SkippedAsync());
        Assert.Equal(["inside-link.png", "outside-link.jpg", "photo.png"], (await folder.PointsAsync()).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, summary.Count("indexed"));

        var (_, rerun, rerunErr) = await folder.IndexAsync("--follow-symlinks");
        Assert.Equal(3, rerun.Count("unchanged"));
        Assert.Equal(0, rerun.Count("indexed") + rerun.Count("updated") + rerun.Count("moved") + rerun.Count("deleted"));
        Assert.Empty(rerun.GetProperty("skipped").EnumerateObject());
        Assert.Equal(0, StderrSummary.Encoded(rerunErr));
    }
}
