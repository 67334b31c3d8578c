using ClipSearch.Core.Index;
using ClipSearch.Indexer.Cli;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>The end of an index run on the embedded store: the approximate index is finished and saved in view, not silently at exit.</summary>
public sealed class GraphProgressTests : IDisposable
{
    private const int Dim = 16;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "clipsearch-graph-progress-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Finish_CollectionWithAGraphDue_ReportsProgressThenSavedAndLeavesTheFile()
    {
        using (var store = Open(threshold: 500))
        {
            var c = await store.CreateCollectionAsync("big", "m", Dim);
            await c.UpsertAsync(Points(3000));
            var error = new StringWriter();
            await GraphProgress.FinishAsync(store, "big", error, CancellationToken.None);
            var text = error.ToString();
            Assert.Contains("approximate index up to date and saved: 3,000 points", text, StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(Path.Combine(_folder, "ann"), "big-*.hnsw"));

            // Nothing due any more: the second call says nothing.
            var again = new StringWriter();
            await GraphProgress.FinishAsync(store, "big", again, CancellationToken.None);
            Assert.Equal("", again.ToString());
        }
    }

    [Fact]
    public async Task Finish_CollectionBelowTheThreshold_SaysNothing()
    {
        using var store = Open(threshold: 50_000);
        var c = await store.CreateCollectionAsync("small", "m", Dim);
        await c.UpsertAsync(Points(100));
        var error = new StringWriter();
        await GraphProgress.FinishAsync(store, "small", error, CancellationToken.None);
        Assert.Equal("", error.ToString());
        Assert.False(Directory.Exists(Path.Combine(_folder, "ann")) && Directory.GetFiles(Path.Combine(_folder, "ann")).Length > 0);
    }

    [Fact]
    public async Task Report_OnATerminal_RedrawsHeldOfTotalAtMostTwiceASecond()
    {
        var error = new StringWriter();
        var progress = new GraphProgress(error, interactive: true);
        progress.Report(new ApproximateIndexProgress(100, 3000));
        Assert.Equal("", error.ToString()); // a graph done within half a second shows only its final line
        await Task.Delay(600);
        progress.Report(new ApproximateIndexProgress(1200, 3000));
        Assert.Equal("\rupdating the approximate index: 1,200 of 3,000 points", error.ToString().TrimEnd());
    }

    private EmbeddedVectorStore Open(int threshold)
    {
        var options = new EmbeddedStoreOptions { Path = _folder };
        options.Ann.Threshold = threshold;
        return new EmbeddedVectorStore(options);
    }

    private static List<VectorPoint> Points(int n)
    {
        var random = new Random(n);
        return Enumerable.Range(0, n).Select(i =>
        {
            var v = Enumerable.Range(0, Dim).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            return new VectorPoint(PointIds.NameBased("p" + i), v.Select(x => x / norm).ToArray(), new ImagePayload { Path = $"p{i}.jpg", Root = "/r" });
        }).ToList();
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
