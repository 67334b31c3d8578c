using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>
/// A collection indexed with models/tiny-clip, searched with models/tiny-clip-multilingual (a text-only tower sharing its
/// image space): queries in six languages find the right shapes without a single image embedded again; a text tower of
/// another space is refused, naming both models.
/// </summary>
public sealed class SharedSpaceSearchTests : IAsyncLifetime, IDisposable
{
    private readonly IndexTestFolder _folder = new();

    public async Task InitializeAsync()
    {
        // Three images of every class of the held-out set.
        foreach (var group in Directory.EnumerateFiles(TestPaths.Data("tiny-clip-heldout")).Where(f => !f.EndsWith(".tsv", StringComparison.Ordinal))
            .GroupBy(f => Path.GetFileNameWithoutExtension(f)[..Path.GetFileNameWithoutExtension(f).LastIndexOf('-')]))
        {
            foreach (var file in group.Order(StringComparer.Ordinal).Take(3))
            {
                File.Copy(file, _folder.PathOf(Path.GetFileName(file)));
            }
        }

        var (exit, _, stderr) = await _folder.IndexAsync();
        Assert.True(exit == 0, stderr);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("une étoile jaune", "yellow-star")]
    [InlineData("ein gelber Stern", "yellow-star")]
    [InlineData("una estrella amarilla", "yellow-star")]
    [InlineData("жёлтая звезда", "yellow-star")]
    [InlineData("黄色的星星", "yellow-star")]
    [InlineData("a yellow star", "yellow-star")]
    [InlineData("un cercle bleu", "blue-circle")]
    [InlineData("ein roter Kreis", "red-circle")]
    public async Task Search_QueryInAnyTrainedLanguage_FindsThoseShapesInATinyClipCollection(string query, string expected)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("search", query, "--model", TestPaths.TinyClipMultilingual, "--store", _folder.Store, "-k", "3", "--json");

        Assert.True(exit == 0, stderr);
        var paths = JsonDocument.Parse(stdout).RootElement.GetProperty("hits").EnumerateArray().Select(h => Path.GetFileName(h.GetProperty("path").GetString()!)).ToList();
        Assert.Equal(3, paths.Count);
        Assert.All(paths, p => Assert.StartsWith(expected + "-", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_TextTowerOfAnotherSpace_IsRefusedNamingBothModels()
    {
        var other = Path.Combine(_folder.Root, "other-tower");
        CopyFolder(TestPaths.TinyClipMultilingual, other);
        var manifest = Path.Combine(other, "clipsearch-model.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("clipsearch/tiny-clip-shapes", "someone/else", StringComparison.Ordinal)
            .Replace("clipsearch/tiny-clip-multilingual", "someone/else-multilingual", StringComparison.Ordinal));

        var (exit, _, stderr) = await CliRunner.RunAsync("search", "une étoile jaune", "--model", other, "--store", _folder.Store);

        Assert.NotEqual(0, exit);
        Assert.Contains("someone/else-multilingual", stderr, StringComparison.Ordinal);
        Assert.Contains("clipsearch/tiny-clip-shapes", stderr, StringComparison.Ordinal);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
