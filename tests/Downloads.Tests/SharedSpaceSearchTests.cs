using System.Text.Json;
using ClipSearch.Clip.Models.Download;
using ClipSearch.Indexer.Tests;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Downloads.Tests;

/// <summary>
/// The M-CLIP tower pulled from the catalogue searches collections indexed with any export of OpenAI's ViT-B/32 (Xenova's
/// and immich's record different ids) without re-embedding, and is refused on another model's collection. Stand-ins: the
/// ViT-B/32 exports are models/tiny-clip, the M-CLIP tower is models/tiny-clip-multilingual, which was distilled onto it.
/// </summary>
public sealed class SharedSpaceSearchTests : IAsyncLifetime, IAsyncDisposable, IDisposable
{
    private readonly FakeHub _hub = new();
    private readonly TempModelFolder _root = new();

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "openai/clip-vit-base-patch32", "immich-app/ViT-B-32__openai", "openai/clip-vit-base-patch16", "immich-app/XLM-Roberta-Large-Vit-B-32" })
        {
            CatalogueHub.Publish(_hub, ModelCatalogue.Find(name)!);
        }

        await _hub.StartAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask; // the hub goes in DisposeAsync below, which xunit also calls

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    public void Dispose() => _root.Dispose();

    private async Task<string> PullAsync(string name)
    {
        var folder = Path.Combine(_root.Root, ModelCatalogue.Find(name)!.FolderName);
        var (exit, _, stderr) = await CliRunner.RunAsync("models", "pull", name, "--dir", folder, "--endpoint", _hub.Url.ToString());
        Assert.True(exit == 0, stderr);
        return folder;
    }

    private async Task IndexAsync(string model, string collection)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("index", Path.Combine(TestPaths.RepoRoot, "samples"), "--model", model, "--collection", collection,
            "--store", Path.Combine(_root.Root, "store"));
        Assert.True(exit == 0, stderr);
    }

    private Task<(int Exit, string Out, string Err)> SearchAsync(string model, string collection, string query) =>
        CliRunner.RunAsync("search", query, "--model", model, "--collection", collection, "--store", Path.Combine(_root.Root, "store"), "-k", "2", "--json");

    [Fact]
    public async Task Search_MClipTower_FindsInCollectionsOfEitherViTB32ExportAndIsRefusedElsewhere()
    {
        var mclip = await PullAsync("immich-app/XLM-Roberta-Large-Vit-B-32");
        await IndexAsync(await PullAsync("openai/clip-vit-base-patch32"), "xenova");
        await IndexAsync(await PullAsync("immich-app/ViT-B-32__openai"), "immich");
        await IndexAsync(await PullAsync("openai/clip-vit-base-patch16"), "b16");

        foreach (var collection in new[] { "xenova", "immich" })
        {
            var (exit, stdout, stderr) = await SearchAsync(mclip, collection, "une étoile jaune");
            Assert.True(exit == 0, $"{collection}: {stderr}");
            var hits = JsonDocument.Parse(stdout).RootElement.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("path").GetString()!).ToList();
            Assert.All(hits, path => Assert.Contains("yellow-star", path, StringComparison.Ordinal));
        }

        var (refused, _, why) = await SearchAsync(mclip, "b16", "une étoile jaune");
        Assert.Equal(5, refused);
        Assert.Contains("openai/clip-vit-base-patch16", why, StringComparison.Ordinal);
    }
}
