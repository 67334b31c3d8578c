using System.Text.Json;
using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>
/// <c>clipsearch migrate</c> between two embedded indexes (the target backend is behind the same contract as Qdrant):
/// every point arrives with its vector, payload and labels, and indexing against the copy finds nothing to do.
/// </summary>
public sealed class MigrateCommandTests : IDisposable
{
    private readonly IndexTestFolder _folder = new();

    [Fact]
    public async Task Migrate_ToAnotherIndex_CopiesEverythingAndIndexingThereDoesNoWork()
    {
        for (var i = 0; i < 12; i++)
        {
            _folder.WriteImage($"{(i % 2 == 0 ? "a" : "b")}/img{i}.{(i % 3 == 0 ? "png" : "jpg")}", i);
        }

        Assert.Equal(0, (await _folder.IndexAsync()).Exit);
        var (categorized, _, catErr) = await CliRunner.RunAsync("categorize", "--store", _folder.Store, "--labels", "red,green,blue", "--label-set", "colour");
        Assert.True(categorized == 0, catErr);
        var target = Path.Combine(_folder.Root, "target");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("migrate", "--store", _folder.Store, "--to-store", target, "--batch", "5", "--json");
        Assert.True(exit == 0, stderr);
        Assert.Equal(12, JsonDocument.Parse(stdout).RootElement.GetProperty("points").GetInt32());

        var original = await _folder.PointsAsync();
        using (var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = target }))
        {
            var copy = await store.OpenCollectionAsync(CollectionNames.Default, null, null);
            Assert.Equal(original.Values.First().Payload.Root, (await copy.GetAsync(original.Values.First().Id))!.Payload.Root);
            Assert.Equal(12, await copy.CountAsync());
            foreach (var point in original.Values)
            {
                var copied = (await copy.GetAsync(point.Id, withVector: true))!;
                Assert.Equal(point.Payload, copied.Payload); // labels included
                Assert.Equal(point.Vector, copied.Vector);
                Assert.True(copied.Payload.Labels.ContainsKey("colour"));
            }
        }

        // Run again (as after an interruption): the same collection, nothing doubled.
        Assert.Equal(0, (await CliRunner.RunAsync("migrate", "--store", _folder.Store, "--to-store", target)).Exit);
        var (indexed, indexOut, indexErr) = await CliRunner.RunAsync("index", _folder.Images, "--store", target, "--json");
        Assert.True(indexed == 0, indexErr);
        var summary = JsonDocument.Parse(CliRunner.Lines(indexOut)[^1]).RootElement;
        Assert.Equal(12, summary.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, summary.GetProperty("indexed").GetInt32());
    }

    [Fact]
    public async Task Migrate_WithoutATargetOrOntoItself_IsRefused()
    {
        _folder.WriteImage("x.png", 1);
        Assert.Equal(0, (await _folder.IndexAsync()).Exit);
        var (none, _, noneErr) = await CliRunner.RunAsync("migrate", "--store", _folder.Store);
        Assert.Equal(2, none);
        Assert.Contains("--to-store DIR or --to-qdrant URL", noneErr);
        var (self, _, selfErr) = await CliRunner.RunAsync("migrate", "--store", _folder.Store, "--to-store", _folder.Store);
        Assert.Equal(2, self);
        Assert.Contains("same collection", selfErr);
    }

    public void Dispose() => _folder.Dispose();
}
