using System.Text.Json;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>
/// The README's --json shapes of the commands that work on an index (property names and their order, value kinds),
/// on three generated pictures, an exact copy of one (a near-duplicate) and a file that is no image (skipped).
/// </summary>
public sealed class IndexJsonShapeTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] Labels = ["carré rouge", "étoile ★"];
    private readonly IndexTestFolder _folder = new();
    private string _indexLine = "";

    public async Task InitializeAsync()
    {
        _folder.WriteImage("a/first.png", 1);
        _folder.WriteImage("a/second.jpg", 2);
        _folder.WriteImage("b/third.png", 3);
        File.Copy(_folder.PathOf("a/first.png"), _folder.PathOf("b/copy-of-first.png"));
        _folder.WriteText("b/notes.jpg", "text, named like a photo");
        var (exit, stdout, stderr) = await CliRunner.RunAsync("index", _folder.Images, "--store", _folder.Store, "--json");
        Assert.True(exit == 0, stderr);
        _indexLine = Assert.Single(CliRunner.Lines(stdout));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    private async Task<string> RunAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync([.. args, "--store", _folder.Store]);
        Assert.True(exit == 0, stderr);
        return stdout;
    }

    [Fact]
    public void Index_Json_SummaryInDocumentedOrderWithSkippedByReason()
    {
        var summary = JsonShape.Parse(_indexLine);
        JsonShape.AssertNames(summary, "indexed", "unchanged", "updated", "moved", "deleted", "skipped", "elapsed_seconds", "images_per_second");
        Assert.Equal(4, summary.GetProperty("indexed").GetInt32());
        var skipped = summary.GetProperty("skipped");
        Assert.Equal(JsonValueKind.Object, skipped.ValueKind);
        Assert.Equal(1, skipped.GetProperty("corrupt").GetInt32()); // b/notes.jpg: text named like a photo
        Assert.Equal(JsonValueKind.Number, summary.GetProperty("elapsed_seconds").ValueKind);
    }

    [Fact]
    public async Task Search_Json_HitsOfIdPathAndRoundedScore()
    {
        var result = JsonShape.Single(await RunAsync("search", "a photo of a square.", "-k", "3", "--json"));
        JsonShape.AssertNames(result, "hits");
        var hits = result.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(3, hits.Count);
        Assert.All(hits, hit =>
        {
            JsonShape.AssertNames(hit, "id", "path", "score");
            Assert.True(Guid.TryParse(hit.GetProperty("id").GetString(), out _));
            Assert.StartsWith(_folder.Images, hit.GetProperty("path").GetString(), StringComparison.Ordinal);
            JsonShape.AssertRounded6(hit.GetProperty("score"));
        });
    }

    [Fact]
    public async Task Search_NoHits_EmptyArray()
    {
        var result = JsonShape.Single(await RunAsync("search", "a photo of a square.", "--min-score", "0.9999", "--json"));
        Assert.Equal(0, result.GetProperty("hits").GetArrayLength());
    }

    [Fact]
    public async Task Duplicates_Json_GroupsOfImagesOfIdPathAndScore()
    {
        var result = JsonShape.Single(await RunAsync("duplicates", "--threshold", "0.999", "--json"));
        JsonShape.AssertNames(result, "groups");
        var group = Assert.Single(result.GetProperty("groups").EnumerateArray());
        JsonShape.AssertNames(group, "images");
        var images = group.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal([_folder.PathOf("a/first.png"), _folder.PathOf("b/copy-of-first.png")], images.Select(i => i.GetProperty("path").GetString()));
        Assert.All(images, i => JsonShape.AssertNames(i, "id", "path", "score"));
        Assert.Equal(1.0, images[0].GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Skipped_Json_ArrayOfPathReasonDetail()
    {
        var skipped = JsonShape.Single(await RunAsync("skipped", "--json"));
        var file = Assert.Single(skipped.EnumerateArray());
        JsonShape.AssertNames(file, "path", "reason", "detail");
        Assert.Equal(_folder.PathOf("b/notes.jpg"), file.GetProperty("path").GetString());
        Assert.Equal("corrupt", file.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Collections_Json_ListWithoutSkippedAndInfoWithIt()
    {
        var listed = JsonShape.Single(await RunAsync("collections", "list", "--json"));
        JsonShape.AssertNames(listed, "name", "count", "model", "dimension", "backend");
        var info = JsonShape.Single(await RunAsync("collections", "info", "images", "--json"));
        JsonShape.AssertNames(info, "name", "count", "model", "dimension", "backend", "skipped");
        Assert.Equal(4, info.GetProperty("count").GetInt64());
        Assert.Equal(1, info.GetProperty("skipped").GetInt32());
    }

    [Fact]
    public async Task Categorize_Json_SummaryInOrderWithDistributionByLabelUnescaped()
    {
        var stdout = await RunAsync("categorize", "--labels", string.Join(',', Labels), "--label-set", "forme", "--json");
        var summary = JsonShape.Single(stdout);
        JsonShape.AssertNames(summary, "label_set", "run_id", "dry_run", "images", "already_done", "unlabelled", "distribution", "elapsed_seconds", "images_per_second");
        Assert.Equal("forme", summary.GetProperty("label_set").GetString());
        Assert.False(summary.GetProperty("dry_run").GetBoolean());
        var distribution = summary.GetProperty("distribution").EnumerateObject().ToList();
        Assert.All(distribution, d => Assert.Contains(d.Name, Labels));
        Assert.Equal(4, distribution.Sum(d => d.Value.GetInt32()) + summary.GetProperty("unlabelled").GetInt32());
    }
}
