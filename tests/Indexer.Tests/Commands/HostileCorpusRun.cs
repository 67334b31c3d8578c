using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>
/// One <c>clipsearch index</c> of shared/hostile-images (a minute or two), shared by the tests of
/// <see cref="HostileCorpusTests"/>; nothing runs when shared/ is not beside the checkout.
/// </summary>
public sealed class HostileCorpusRun : IAsyncLifetime, IDisposable
{
    private readonly IndexTestFolder _folder = new();
    private readonly Dictionary<string, (string Reason, string Detail)> _skipped = new(StringComparer.Ordinal);
    private readonly HashSet<string> _indexed = new(StringComparer.Ordinal);

    /// <summary>The corpus folder, or null when shared/ is absent.</summary>
    public string? Corpus { get; } = TestPaths.Shared("hostile-images");

    /// <summary>The manifest's rows, split on tabs (path, size_bytes, source, category, expected, note, ...).</summary>
    public IReadOnlyList<string[]> Rows { get; private set; } = [];

    public int Exit { get; private set; }

    public string Stdout { get; private set; } = "";

    public string Stderr { get; private set; } = "";

    /// <summary>Peak resident memory of the indexer and its decoder processes together, and of the indexer alone.</summary>
    public (long Tree, long Main) PeakMemory { get; private set; }

    public double Seconds { get; private set; }

    /// <summary>"index", "skip: REASON", or "not chosen" (neither indexed nor skipped: counted as not an image).</summary>
    public string Outcome(string path) =>
        _indexed.Contains(path) ? "index" : _skipped.TryGetValue(path, out var s) ? "skip: " + s.Reason : "not chosen";

    /// <summary>The skip detail, or "" for a file not skipped.</summary>
    public string Detail(string path) => _skipped.TryGetValue(path, out var s) ? s.Detail : "";

    public async Task InitializeAsync()
    {
        if (Corpus is null)
        {
            return;
        }

        Rows = [.. File.ReadAllLines(Path.Combine(Corpus, "manifest.tsv")).Skip(1).Select(l => l.Split('\t'))];
        // A generous decode limit: the test suite runs its projects in parallel on two cores, and a valid image must
        // not be stopped as timed out because the machine is busy (the 4 files that really hang cost 10 s each).
        var (exit, stdout, stderr, tree, main, seconds) = await MeasuredRun.RunAsync(
            ["index", Corpus, "--store", _folder.Store, "--hidden", "--timeout", "10", "--json"]);
        (Exit, Stdout, Stderr, PeakMemory, Seconds) = (exit, stdout, stderr, (tree, main), seconds);

        var root = Corpus.Replace('\\', '/');
        var (_, skippedJson, _) = await CliRunner.RunAsync("skipped", "--store", _folder.Store, "--json");
        foreach (var e in JsonDocument.Parse(skippedJson).RootElement.EnumerateArray())
        {
            _skipped[e.GetProperty("path").GetString()![(root.Length + 1)..]] = (e.GetProperty("reason").GetString()!, e.GetProperty("detail").GetString()!);
        }

        using var store = new Storage.Embedded.EmbeddedVectorStore(new Storage.Embedded.EmbeddedStoreOptions { Path = _folder.Store });
        var collection = await store.OpenCollectionAsync(Core.Index.CollectionNames.Default, null, null);
        await foreach (var batch in collection.ScrollAsync(null, 1000, withVectors: false))
        {
            _indexed.UnionWith(batch.Select(p => p.Payload.FullPath[(root.Length + 1)..]));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();
}
