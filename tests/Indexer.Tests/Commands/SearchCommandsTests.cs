using System.Text.Json;
using ClipSearch.Core;
using ClipSearch.Core.Index;
using ClipSearch.Tests.Shared;
using SixLabors.ImageSharp;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>search, duplicates, skipped and collections on an index of the held-out shape images.</summary>
public sealed class SearchCommandsTests : IAsyncLifetime, IDisposable
{
    private readonly IndexTestFolder _folder = new();

    public async Task InitializeAsync()
    {
        // 32 held-out images in two folders (jpeg and png mixed), plus a re-encoded near-duplicate.
        var files = Directory.EnumerateFiles(TestPaths.Data("tiny-clip-heldout")).Where(f => f.EndsWith(".jpg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Where((_, i) => i % 10 == 0).ToList(); // one of each colour and shape
        for (var i = 0; i < files.Count; i++)
        {
            var target = _folder.PathOf($"{(i % 2 == 0 ? "even" : "odd")}/{Path.GetFileName(files[i])}");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(files[i], target);
        }

        using (var image = await Image.LoadAsync(_folder.PathOf($"even/{Path.GetFileName(files[0])}")))
        {
            await image.SaveAsJpegAsync(_folder.PathOf("near-duplicate.jpg"), new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 70 });
        }

        var (exit, _, stderr) = await _folder.IndexAsync();
        Assert.True(exit == 0, stderr);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    private static List<(Guid Id, string Path, float Score)> Hits(string stdout) =>
        [.. JsonDocument.Parse(stdout).RootElement.GetProperty("hits").EnumerateArray()
            .Select(h => (h.GetProperty("id").GetGuid(), h.GetProperty("path").GetString()!, h.GetProperty("score").GetSingle()))];

    private static float[] TextEmbedding(string text)
    {
        var (_, stdout, _) = CliRunner.RunAsync("embed", "--text", text).GetAwaiter().GetResult();
        return [.. JsonDocument.Parse(stdout).RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle())];
    }

    /// <summary>Exact nearest neighbours by brute force over the stored vectors: the reference for the search commands.</summary>
    private async Task<List<(Guid Id, float Score)>> BruteForceAsync(float[] query, Func<ImagePayload, bool> filter)
    {
        var points = await _folder.PointsAsync();
        return [.. points.Values.Where(p => filter(p.Payload)).Select(p => (p.Id, Score: VectorMath.Cosine(query, p.Vector!)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Id)];
    }

    [Fact]
    public async Task Search_Text_ReturnsTheExactNearestNeighboursBestFirst()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("search", "a photo of a red star.", "--store", _folder.Store, "-k", "5", "--json");
        Assert.Equal(0, exit);
        var hits = Hits(stdout);
        var expected = (await BruteForceAsync(TextEmbedding("a photo of a red star."), _ => true)).Take(5).ToList();
        Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.Id));
        Assert.All(hits.Zip(expected), x => Assert.Equal(x.Second.Score, x.First.Score, 4));
        Assert.Contains("red-star", hits[0].Path, StringComparison.Ordinal);

        var (_, plain, _) = await CliRunner.RunAsync("search", "a photo of a red star.", "--store", _folder.Store, "-k", "2");
        var lines = CliRunner.Lines(plain);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(hits[0].Path, lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_CutoffSortAndWords_MatchesCountedOrderedAndFoundByFolderName()
    {
        var total = (await _folder.PointsAsync()).Count;
        var (exit, stdout, stderr) = await CliRunner.RunAsync("search", "a photo of a red star.", "--store", _folder.Store, "--cutoff", "relative", "-k", "50", "--json");
        Assert.True(exit == 0, stderr);
        var answer = JsonDocument.Parse(stdout).RootElement;
        var matches = answer.GetProperty("matches").GetInt32();
        Assert.Equal(matches, Hits(stdout).Count);
        Assert.Equal(total - matches, answer.GetProperty("weaker").GetInt64());
        Assert.Equal("relative", answer.GetProperty("cutoff_method").GetString());
        Assert.All(Hits(stdout), h => Assert.Contains("red-star", h.Path, StringComparison.Ordinal));
        var (_, text, summary) = await CliRunner.RunAsync("search", "a photo of a red star.", "--store", _folder.Store, "--cutoff", "relative");
        Assert.Contains($"{total - matches} weaker results not shown (--cutoff none shows them)", summary, StringComparison.Ordinal);
        Assert.Equal(matches, CliRunner.Lines(text).Length);

        // By name: the same kind of cut, ordered by path.
        var (_, byName, _) = await CliRunner.RunAsync("search", "a photo of a circle.", "--store", _folder.Store, "--cutoff", "relative", "--sort", "name", "-k", "100", "--json");
        var paths = Hits(byName).Select(h => h.Path).ToList();
        Assert.Equal(paths.Order(StringComparer.Ordinal), paths);

        // "odd" means nothing to the model: by words, exactly the images of the folder named so.
        var (_, odd, _) = await CliRunner.RunAsync("search", "odd", "--store", _folder.Store, "--mode", "keyword", "-k", "100", "--json");
        var expected = (await _folder.PointsAsync()).Keys.Where(p => p.StartsWith("odd/", StringComparison.Ordinal)).Count();
        Assert.Equal(expected, Hits(odd).Count);
        Assert.All(Hits(odd), h => Assert.Contains("/odd/", h.Path, StringComparison.Ordinal));

        var bad = await CliRunner.RunAsync("search", "x", "--store", _folder.Store, "--cutoff", "best");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("none, auto, jump, relative, calibrated", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_WithFilter_ReturnsTheBestMatchingOnly()
    {
        var even = _folder.Images.Replace('\\', '/') + "/even";
        var (exit, stdout, _) = await CliRunner.RunAsync("search", "a photo of a blue circle.", "--store", _folder.Store, "-k", "4", "--json",
            "--filter", $"folder:\"{even}\" and format:png or width>=10000");
        Assert.Equal(0, exit);
        var expected = (await BruteForceAsync(TextEmbedding("a photo of a blue circle."), p => p.IsInFolder(even) && p.Format == "png")).Take(4).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(e => e.Id), Hits(stdout).Select(h => h.Id));
    }

    [Fact]
    public async Task Search_BadFilter_IsAUsageErrorSayingWhatIsWrong()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("search", "x", "--store", _folder.Store, "--filter", "colour:red");
        Assert.Equal(2, exit);
        Assert.Contains("colour", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ByImageFileAndByIndexedImage_FindTheSameNeighbours()
    {
        var points = await _folder.PointsAsync();
        var (path, point) = points.First(kv => kv.Key.StartsWith("odd/", StringComparison.Ordinal));
        var (e1, byImage, _) = await CliRunner.RunAsync("search", "--image", _folder.PathOf(path), "--store", _folder.Store, "-k", "4", "--json");
        var (e2, byId, _) = await CliRunner.RunAsync("search", "--like", point.Id.ToString(), "--store", _folder.Store, "-k", "3", "--json");
        var (e3, byPath, _) = await CliRunner.RunAsync("search", "--like", _folder.PathOf(path), "--store", _folder.Store, "-k", "3", "--json");
        Assert.Equal((0, 0, 0), (e1, e2, e3));
        var imageHits = Hits(byImage);
        Assert.Equal(point.Id, imageHits[0].Id); // the image itself, at similarity 1
        Assert.Equal(1f, imageHits[0].Score, 3);
        var expected = (await BruteForceAsync(point.Vector!, _ => true)).Where(x => x.Id != point.Id).Take(3).Select(x => x.Id).ToList();
        Assert.Equal(expected, Hits(byId).Select(h => h.Id)); // --like leaves out the image itself
        Assert.Equal(expected, Hits(byPath).Select(h => h.Id));
    }

    [Fact]
    public async Task Search_NothingToSearchOrUnknownCollection_FailsClearly()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("search", "--store", _folder.Store);
        Assert.Equal(2, exit);
        Assert.Contains("exactly one of TEXT, --image PATH or --like ID", stderr, StringComparison.Ordinal);
        (exit, _, stderr) = await CliRunner.RunAsync("search", "cat", "--store", _folder.Store, "--collection", "nope");
        Assert.Equal(5, exit);
        Assert.Contains("'nope' does not exist", stderr, StringComparison.Ordinal);
        (exit, _, stderr) = await CliRunner.RunAsync("search", "--like", "/no/such.jpg", "--store", _folder.Store);
        Assert.Equal(2, exit);
        Assert.Contains("no indexed image", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicates_FindsTheReEncodedCopyAndNothingElse()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("duplicates", "--store", _folder.Store, "--threshold", "0.97", "--json");
        Assert.Equal(0, exit);
        var groups = JsonDocument.Parse(stdout).RootElement.GetProperty("groups").EnumerateArray().ToList();

        // Reference: pairs at or above the threshold by brute force, grouped transitively.
        var points = (await _folder.PointsAsync()).Values.ToList();
        var pairs = points.SelectMany(a => points.Where(b => a.Id.CompareTo(b.Id) < 0 && VectorMath.Cosine(a.Vector!, b.Vector!) >= 0.97f)
            .Select(b => (a.Payload.FullPath, b.Payload.FullPath))).ToList();
        Assert.Contains(pairs, p => p.Item1.EndsWith("near-duplicate.jpg", StringComparison.Ordinal) || p.Item2.EndsWith("near-duplicate.jpg", StringComparison.Ordinal));
        var grouped = groups.Select(g => g.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("path").GetString()!).ToHashSet()).ToList();
        Assert.All(pairs, p => Assert.Contains(grouped, g => g.Contains(p.Item1) && g.Contains(p.Item2)));
        Assert.Equal(pairs.SelectMany(p => new[] { p.Item1, p.Item2 }).Distinct().Count(), grouped.Sum(g => g.Count));
    }

    [Fact]
    public async Task Collections_ListInfoAndDrop()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("collections", "list", "--store", _folder.Store, "--json");
        Assert.Equal(0, exit);
        var info = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(("images", 33, "clipsearch/tiny-clip-shapes", 96, "embedded"),
            (info.GetProperty("name").GetString(), info.GetProperty("count").GetInt32(), info.GetProperty("model").GetString(),
             info.GetProperty("dimension").GetInt32(), info.GetProperty("backend").GetString()));
        (exit, stdout, _) = await CliRunner.RunAsync("collections", "info", "images", "--store", _folder.Store);
        Assert.Equal(0, exit);
        Assert.StartsWith("images\t33 images", stdout, StringComparison.Ordinal);

        (exit, _, var stderr) = await CliRunner.RunAsync("collections", "drop", "images", "--store", _folder.Store);
        Assert.Equal(2, exit);
        Assert.Contains("--yes", stderr, StringComparison.Ordinal);
        Assert.Equal(33, (await _folder.PointsAsync()).Count);
        (exit, _, _) = await CliRunner.RunAsync("collections", "drop", "images", "--store", _folder.Store, "--yes");
        Assert.Equal(0, exit);
        (exit, stdout, _) = await CliRunner.RunAsync("collections", "list", "--store", _folder.Store);
        Assert.Equal((0, ""), (exit, stdout));
    }
}
