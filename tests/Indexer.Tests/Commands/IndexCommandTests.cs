using ClipSearch.Core;
using ClipSearch.Core.Index;
using ClipSearch.Indexing;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary><c>clipsearch index</c> end to end: real files, the bundled model, the embedded index.</summary>
public sealed class IndexCommandTests
{
    [Fact]
    public async Task Index_NewFolder_IndexesEveryImageWithItsPayload()
    {
        using var folder = new IndexTestFolder();
        for (var i = 0; i < 6; i++)
        {
            folder.WriteImage($"a/img{i}.png", i);
        }

        folder.WriteImage("b/c/photo.jpg", 100, 64, 32);
        var (exit, summary, stderr) = await folder.IndexAsync();

        Assert.Equal(0, exit);
        Assert.Equal(7, summary.Count("indexed"));
        Assert.Equal(0, summary.Count("unchanged"));
        Assert.Equal(7, StderrSummary.Encoded(stderr));
        foreach (var key in new[] { "updated", "moved", "deleted" })
        {
            Assert.Equal(0, summary.Count(key));
        }

        Assert.Empty(summary.GetProperty("skipped").EnumerateObject());
        Assert.True(summary.GetProperty("elapsed_seconds").GetDouble() > 0);
        Assert.True(summary.GetProperty("images_per_second").GetDouble() > 0);

        var points = await folder.PointsAsync();
        Assert.Equal(7, points.Count);
        var photo = points["b/c/photo.jpg"];
        var root = folder.Images.Replace('\\', '/');
        Assert.Equal(PointIds.ForImage(root, "b/c/photo.jpg"), photo.Id);
        Assert.Equal(root, photo.Payload.Root);
        Assert.Equal((64, 32, "jpeg"), (photo.Payload.Width, photo.Payload.Height, photo.Payload.Format));
        var file = new FileInfo(folder.PathOf("b/c/photo.jpg"));
        Assert.Equal(file.Length, photo.Payload.SizeBytes);
        Assert.Equal(FileScanner.NormaliseTime(file.LastWriteTimeUtc), photo.Payload.ModifiedAt);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file.FullName))), photo.Payload.ContentHash);
        Assert.All(points.Values, p => Assert.Equal(1.0, Math.Sqrt(p.Vector!.Sum(x => (double)x * x)), 4));
    }

    [Fact]
    public async Task Index_EmbeddingsMatchTheEmbedCommand()
    {
        using var folder = new IndexTestFolder();
        var path = folder.WriteImage("x.png", 7);
        await folder.IndexAsync();
        var (_, stdout, _) = await CliRunner.RunAsync("embed", "--image", path);
        var expected = System.Text.Json.JsonDocument.Parse(stdout).RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var stored = (await folder.PointsAsync())["x.png"].Vector!;
        Assert.True(VectorMath.Cosine(expected, stored) > 0.9999f);
    }

    [Fact]
    public async Task Index_SecondRunOnUnchangedFolder_EncodesNothingAndKeepsEverything()
    {
        using var folder = new IndexTestFolder();
        for (var i = 0; i < 5; i++)
        {
            folder.WriteImage($"img{i}.png", i);
        }

        await folder.IndexAsync();
        var before = await folder.PointsAsync();
        var (exit, summary, stderr) = await folder.IndexAsync();

        Assert.Equal(0, exit);
        Assert.Equal(5, summary.Count("unchanged"));
        Assert.Equal(0, summary.Count("indexed") + summary.Count("updated") + summary.Count("moved") + summary.Count("deleted"));
        Assert.Equal(0, StderrSummary.Encoded(stderr));
        var after = await folder.PointsAsync();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, kv => Assert.Equal(kv.Value.Vector, after[kv.Key].Vector));
    }

    [Fact]
    public async Task Index_ChangesOnDisk_NewChangedTouchedMovedCopiedAndDeletedFilesEachHandled()
    {
        using var folder = new IndexTestFolder();
        folder.WriteImage("keep.png", 1);
        folder.WriteImage("change.png", 2);
        folder.WriteImage("touch.png", 3);
        folder.WriteImage("move-me.png", 4);
        folder.WriteImage("delete-me.png", 5);
        await folder.IndexAsync();
        var before = await folder.PointsAsync();

        // Labels on the file that will move, to see them travel with it.
        using (var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = folder.Store }))
        {
            var c = await store.OpenCollectionAsync(CollectionNames.Default, null, null);
            await c.SetLabelsAsync("kind", [new(before["move-me.png"].Id, new LabelAssignment("block", 0.9f, "run-1", "other", 0.1f))]);
        }

        folder.WriteImage("change.png", 20); // new content
        File.SetLastWriteTimeUtc(folder.PathOf("touch.png"), DateTime.UtcNow.AddMinutes(5)); // same content, new time
        Directory.CreateDirectory(folder.PathOf("moved"));
        File.Move(folder.PathOf("move-me.png"), folder.PathOf("moved/renamed.png"));
        File.Copy(folder.PathOf("keep.png"), folder.PathOf("copy-of-keep.png"));
        File.Delete(folder.PathOf("delete-me.png"));
        folder.WriteImage("brand-new.png", 6);

        var (exit, summary, stderr) = await folder.IndexAsync();
        Assert.Equal(0, exit);
        Assert.Equal(2, summary.Count("indexed")); // brand-new (encoded) and copy-of-keep (embedding reused)
        Assert.Equal(1, summary.Count("updated"));
        Assert.Equal(1, summary.Count("moved"));
        Assert.Equal(1, summary.Count("deleted"));
        Assert.Equal(2, summary.Count("unchanged")); // keep, touch
        Assert.Equal(2, StderrSummary.Encoded(stderr)); // only brand-new and change

        var after = await folder.PointsAsync();
        Assert.Equal(["brand-new.png", "change.png", "copy-of-keep.png", "keep.png", "moved/renamed.png", "touch.png"], after.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before["keep.png"].Vector, after["copy-of-keep.png"].Vector);
        Assert.Equal(before["move-me.png"].Vector, after["moved/renamed.png"].Vector);
        Assert.Equal("block", after["moved/renamed.png"].Payload.Labels["kind"].Label);
        Assert.Equal(before["touch.png"].Vector, after["touch.png"].Vector);
        Assert.Equal(FileScanner.NormaliseTime(File.GetLastWriteTimeUtc(folder.PathOf("touch.png"))), after["touch.png"].Payload.ModifiedAt);
        Assert.True(VectorMath.Cosine(before["change.png"].Vector!, after["change.png"].Vector!) < 0.9999f);
        Assert.NotEqual(before["change.png"].Payload.ContentHash, after["change.png"].Payload.ContentHash);

        var again = await folder.IndexAsync();
        Assert.Equal(6, again.Summary.Count("unchanged"));
        Assert.Equal(0, StderrSummary.Encoded(again.Err));
    }

    [Fact]
    public async Task Index_IdenticalNewFiles_AreEncodedOnce()
    {
        using var folder = new IndexTestFolder();
        var first = folder.WriteImage("a.png", 9);
        for (var i = 0; i < 4; i++)
        {
            File.Copy(first, folder.PathOf($"copy{i}.png"));
        }

        var (_, summary, stderr) = await folder.IndexAsync();
        Assert.Equal(5, summary.Count("indexed"));
        Assert.Equal(1, StderrSummary.Encoded(stderr));
        var points = await folder.PointsAsync();
        Assert.Single(points.Values.Select(p => string.Join(",", p.Vector!)).Distinct());
    }

    [Fact]
    public async Task Index_JunkHiddenAndNonImageFiles_AreLeftOutUnlessAsked()
    {
        using var folder = new IndexTestFolder();
        folder.WriteImage("photo.jpg", 1);
        File.WriteAllBytes(folder.PathOf("._photo.jpg"), [0x00, 0x05, 0x16, 0x07, 0, 2, 0, 0]); // AppleDouble resource fork
        folder.WriteText(".DS_Store", "Bud1");
        folder.WriteText("Thumbs.db", "thumbs");
        folder.WriteImage(".hidden.png", 2);
        folder.WriteImage(".cache/thumb.png", 3);
        folder.WriteImage("@eaDir/photo.jpg/SYNOPHOTO_THUMB_M.jpg", 4);
        folder.WriteText("notes.txt", "not an image");
        folder.WriteText("clip.mov", "\0\0\0\x18ftypqt  not an image either");
        folder.WriteImage("no-extension", 5); // a PNG without extension: chosen by content

        var (_, summary, _) = await folder.IndexAsync();
        var points = await folder.PointsAsync();
        Assert.Equal(["no-extension", "photo.jpg"], points.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(summary.GetProperty("skipped").EnumerateObject());
        Assert.Empty(await folder.SkippedAsync());

        var (_, withHidden, _) = await folder.IndexAsync("--hidden");
        Assert.Equal(2, withHidden.Count("indexed"));
        Assert.Equal([".cache/thumb.png", ".hidden.png", "no-extension", "photo.jpg"], (await folder.PointsAsync()).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Index_BadFiles_AreSkippedWithReasonsListedAndNotRetriedUntilChanged()
    {
        using var folder = new IndexTestFolder();
        folder.WriteImage("good.png", 1);
        folder.WriteText("text-named.jpg", "this is not a JPEG");
        var truncated = File.ReadAllBytes(folder.WriteImage("truncated.jpg", 2, 200, 160));
        File.WriteAllBytes(folder.PathOf("truncated.jpg"), truncated[..120]); // cut inside the headers
        File.WriteAllBytes(folder.PathOf("empty.png"), []);
        File.WriteAllBytes(folder.PathOf("photo.heic"), [0, 0, 0, 0x18, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8]);

        var (exit, summary, _) = await folder.IndexAsync();
        Assert.Equal(0, exit);
        Assert.Equal(1, summary.Count("indexed"));
        Assert.Equal(1, summary.Skipped("unsupported format")); // photo.heic
        Assert.Equal(3, summary.Skipped("corrupt")); // truncated.jpg, and text-named.jpg and empty.png: named as images, holding none

        var skipped = (await folder.SkippedAsync()).ToDictionary(s => s.Path);
        Assert.Equal(["empty.png", "photo.heic", "text-named.jpg", "truncated.jpg"], skipped.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("corrupt", skipped["truncated.jpg"].Reason);
        Assert.Contains("HEIC", skipped["photo.heic"].Detail, StringComparison.Ordinal);
        Assert.All(skipped.Values, s => Assert.NotEmpty(s.Detail));

        // Unchanged bad files are not tried again, but still reported.
        var (_, again, stderr) = await folder.IndexAsync();
        Assert.Equal(4, again.GetProperty("skipped").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(0, StderrSummary.Encoded(stderr));
        Assert.Equal(1, again.Count("unchanged"));

        // Fixed files are indexed and leave the list; a deleted one leaves it too.
        folder.WriteImage("truncated.jpg", 2, 200, 160);
        File.Delete(folder.PathOf("empty.png"));
        var (_, fixedRun, _) = await folder.IndexAsync();
        Assert.Equal(1, fixedRun.Count("indexed"));
        Assert.Equal(["photo.heic", "text-named.jpg"], (await folder.SkippedAsync()).Select(s => s.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Index_AwkwardNames_AreIndexedUnderTheirExactPaths()
    {
        using var folder = new IndexTestFolder();
        string[] names = ["with space/my photo (1).jpg", "ünïcödé/日本語 写真.png", "emoji 📷.png", "quote's \"and\" semi;colon.png", "UPPER.JPG"];
        for (var i = 0; i < names.Length; i++)
        {
            folder.WriteImage(names[i], i);
        }

        var (_, summary, _) = await folder.IndexAsync();
        Assert.Equal(names.Length, summary.Count("indexed"));
        Assert.Equal(names.Order(StringComparer.Ordinal), (await folder.PointsAsync()).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(names.Length, (await folder.IndexAsync()).Summary.Count("unchanged"));
    }

    [Fact]
    public async Task Index_IncludeAndExcludeGlobs_ChooseFilesByRelativePath()
    {
        using var folder = new IndexTestFolder();
        folder.WriteImage("2020/a.jpg", 1);
        folder.WriteImage("2020/b.png", 2);
        folder.WriteImage("2021/c.jpg", 3);
        folder.WriteImage("2021/cache/d.jpg", 4);
        await folder.IndexAsync("--include", "**/*.jpg", "--exclude", "**/cache/**");
        Assert.Equal(["2020/a.jpg", "2021/c.jpg"], (await folder.PointsAsync()).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Index_SubfolderOrFileOfAnIndexedFolder_KeepsTheRootAndIds()
    {
        using var folder = new IndexTestFolder();
        folder.WriteImage("trip/a.png", 1);
        folder.WriteImage("trip/b.png", 2);
        folder.WriteImage("home/c.png", 3);
        await folder.IndexAsync();
        var before = await folder.PointsAsync();

        folder.WriteImage("trip/new.png", 4);
        File.Delete(folder.PathOf("home/c.png"));
        var (exit, stdout, _) = await CliRunner.RunAsync("index", folder.PathOf("trip"), "--store", folder.Store, "--json");
        Assert.Equal(0, exit);
        var summary = System.Text.Json.JsonDocument.Parse(stdout).RootElement;
        Assert.Equal((1, 2, 0), (summary.Count("indexed"), summary.Count("unchanged"), summary.Count("deleted")));
        var after = await folder.PointsAsync();
        // Only the subfolder was looked at: home/c.png, deleted on disk, is still indexed; trip/new.png was added under the old root.
        Assert.Equal(["home/c.png", "trip/a.png", "trip/b.png", "trip/new.png"], after.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before["trip/a.png"].Id, after["trip/a.png"].Id);
        Assert.Equal(folder.Images.Replace('\\', '/'), after["trip/new.png"].Payload.Root);

        // A single file.
        folder.WriteImage("home/d.png", 5);
        var (fileExit, _, _) = await CliRunner.RunAsync("index", folder.PathOf("home/d.png"), "--store", folder.Store);
        Assert.Equal(0, fileExit);
        Assert.Equal(PointIds.ForImage(folder.Images.Replace('\\', '/'), "home/d.png"), (await folder.PointsAsync())["home/d.png"].Id);
    }

    [Fact]
    public async Task Index_MissingPath_IsAUsageErrorThatWritesNothing()
    {
        using var folder = new IndexTestFolder();
        var (exit, stdout, stderr) = await CliRunner.RunAsync("index", folder.PathOf("nope"), "--store", folder.Store);
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("no such file or folder", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Store));
    }

    [Fact]
    public async Task Index_WhileAnotherIndexerHoldsTheCollection_RefusesWithAClearMessage()
    {
        using var folder = new IndexTestFolder();
        folder.WriteImage("a.png", 1);
        using var state = IndexerState.Open(folder.Store);
        using (state.LockCollection(CollectionNames.Default))
        {
            var (exit, _, stderr) = await CliRunner.RunAsync("index", folder.Images, "--store", folder.Store);
            Assert.Equal(6, exit);
            Assert.Contains("another 'clipsearch index' is writing to collection 'images'", stderr, StringComparison.Ordinal);
            Assert.Contains($"process {Environment.ProcessId}", stderr, StringComparison.Ordinal);
        }

        var (after, _, _) = await CliRunner.RunAsync("index", folder.Images, "--store", folder.Store);
        Assert.Equal(0, after);
    }

    [Fact]
    public async Task Index_CollectionOfAnotherModel_IsRefusedNamingBoth()
    {
        using var folder = new IndexTestFolder();
        folder.WriteImage("a.png", 1);
        using (var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = folder.Store }))
        {
            await store.CreateCollectionAsync(CollectionNames.Default, "openai/clip-vit-base-patch32", 512);
        }

        var (exit, _, stderr) = await CliRunner.RunAsync("index", folder.Images, "--store", folder.Store);
        Assert.Equal(5, exit);
        Assert.Contains("openai/clip-vit-base-patch32", stderr, StringComparison.Ordinal);
        Assert.Contains("clipsearch/tiny-clip-shapes", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_OtherCollection_IsIndependent()
    {
        using var folder = new IndexTestFolder();
        folder.WriteImage("a.png", 1);
        await folder.IndexAsync("--collection", "holiday");
        Assert.Single(await folder.PointsAsync("holiday"));
        var (exit, stdout, _) = await CliRunner.RunAsync("collections", "list", "--store", folder.Store);
        Assert.Equal(0, exit);
        Assert.StartsWith("holiday\t1 images", stdout, StringComparison.Ordinal);
    }
}
