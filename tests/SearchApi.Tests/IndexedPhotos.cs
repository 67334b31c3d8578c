using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
using ClipSearch.Engine;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Search;
using ClipSearch.Engine.Stores;
using ClipSearch.Indexing;
using ClipSearch.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ClipSearch.SearchApi.Tests;

/// <summary>
/// A temporary folder of the tiny model's held-out images (procedurally drawn coloured shapes,
/// tests/data/tiny-clip-heldout), three per class, sorted into photos/warm and photos/cool by colour, indexed
/// by the real indexer with the bundled model (or the model folder given) into an embedded index, through the engine's composition (the same
/// the CLI and the API use). Shared by the API tests, read-only.
/// </summary>
public sealed class IndexedPhotos : IDisposable
{
    public const string Collection = "photos";

    private static readonly string[] Warm = ["red", "orange", "yellow", "pink"];

    public IndexedPhotos(string? model = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "clipsearch-api-test-" + Guid.NewGuid().ToString("N"));
        Photos = Path.Combine(Root, "photos");
        Store = Path.Combine(Root, "store");
        foreach (var group in Directory.EnumerateFiles(TestPaths.Data("tiny-clip-heldout")).Where(f => !f.EndsWith(".tsv", StringComparison.Ordinal))
            .GroupBy(ClassOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var file in group.OrderBy(f => f, StringComparer.Ordinal).Take(3))
            {
                var name = Path.GetFileName(file);
                var target = Path.Combine(Photos, Warm.Contains(name.Split('-')[0]) ? "warm" : "cool", name);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
                Files.Add(target);
            }
        }

        var summary = IndexFolderAsync(Photos, Store, Collection, model).GetAwaiter().GetResult();
        if (summary.Indexed != Files.Count)
        {
            throw new InvalidOperationException($"indexed {summary.Indexed} of {Files.Count} images; skipped: {string.Join(", ", summary.Skipped.Select(kv => $"{kv.Key} {kv.Value}"))}");
        }
    }

    public string Root { get; }

    public string Photos { get; }

    public string Store { get; }

    /// <summary>Every indexed file (full paths).</summary>
    public List<string> Files { get; } = [];

    /// <summary>"red-star" for ".../red-star-003.jpg".</summary>
    public static string ClassOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return name[..name.LastIndexOf('-')];
    }

    /// <summary>The point id the indexer gives a file under <see cref="Photos"/>.</summary>
    public Guid IdOf(string fullPath) => PointIds.ForImage(Photos, Path.GetRelativePath(Photos, fullPath).Replace('\\', '/'));

    /// <summary>The first indexed file of a class, e.g. "green-triangle".</summary>
    public string FileOf(string className) => Files.First(f => ClassOf(f) == className);

    /// <summary>Indexes <paramref name="folder"/> into the embedded index at <paramref name="store"/> with the bundled model (or <paramref name="model"/>), as the CLI would.</summary>
    public static async Task<IndexSummary> IndexFolderAsync(string folder, string store, string collection, string? model = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingKeys.Model] = model ?? TestPaths.TinyClip,
            [SettingKeys.Device] = "cpu",
            [SettingKeys.StorePath] = store,
            ["ClipSearch:Decoding:Isolate"] = "false",
            // A generous decode limit: these are small valid images, and a CI machine running several test hosts at once
            // must not turn a slow start into a "timed out" skip (seen once with the default 15 s).
            [SettingKeys.DecodeTimeout] = "00:02:00",
        }).Build();
        using var services = new ServiceCollection().AddClipSearchEngine(configuration, new EngineHost(typeof(IndexedPhotos).Assembly, SettingNames.Configuration))
            .BuildServiceProvider();
        var encoder = services.GetRequiredService<IImageEncoder>();
        var state = services.GetRequiredService<StoreContext>().State;
        var opened = await services.GetRequiredService<CollectionAccess>().OpenOrCreateAsync(collection, encoder);
        return await new CollectionIndexer(opened, encoder, state).RunAsync([folder]);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a thumbnail being written as the test host stops; the temp folder is cleaned by the OS
        }
    }
}
