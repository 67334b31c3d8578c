using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Categorization;
using ClipSearch.Indexing.Tests;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Engine.Tests.Categorization;

/// <summary>Categorization gives the same labels whether the backend offers bulk vector reading (embedded) or only scrolling (Qdrant).</summary>
public sealed class CategorizerTests
{
    /// <summary>The embedded collection seen through the plain contract only, as a backend without bulk reading.</summary>
    private sealed class ScrollOnly(IVectorCollection inner) : IVectorCollection
    {
        public string Name => inner.Name;
        public string ModelId => inner.ModelId;
        public int Dimension => inner.Dimension;
        public Task<CollectionInfo> GetInfoAsync(CancellationToken cancellationToken = default) => inner.GetInfoAsync(cancellationToken);
        public Task UpsertAsync(IReadOnlyList<VectorPoint> points, CancellationToken cancellationToken = default) => inner.UpsertAsync(points, cancellationToken);
        public Task<long> DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default) => inner.DeleteAsync(ids, cancellationToken);
        public Task<long> DeleteAsync(PointFilter filter, CancellationToken cancellationToken = default) => inner.DeleteAsync(filter, cancellationToken);
        public Task<StoredPoint?> GetAsync(Guid id, bool withVector = false, CancellationToken cancellationToken = default) => inner.GetAsync(id, withVector, cancellationToken);
        public Task<IReadOnlyList<SearchHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default) => inner.SearchAsync(query, cancellationToken);
        public IAsyncEnumerable<IReadOnlyList<StoredPoint>> ScrollAsync(PointFilter? filter = null, int batchSize = 1000, bool withVectors = true, CancellationToken cancellationToken = default) =>
            inner.ScrollAsync(filter, batchSize, withVectors, cancellationToken);
        public Task<long> CountAsync(PointFilter? filter = null, CancellationToken cancellationToken = default) => inner.CountAsync(filter, cancellationToken);
        public Task SetLabelsAsync(string labelSet, IReadOnlyList<KeyValuePair<Guid, LabelAssignment>> labels, CancellationToken cancellationToken = default) =>
            inner.SetLabelsAsync(labelSet, labels, cancellationToken);
        public Task<long> ClearLabelsAsync(string labelSet, PointFilter? filter = null, CancellationToken cancellationToken = default) => inner.ClearLabelsAsync(labelSet, filter, cancellationToken);
    }

    [Fact]
    public async Task Run_BulkReadingAndScrolling_GiveTheSameLabels()
    {
        using var folder = new TestImageFolder();
        using var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = folder.Store });
        var collection = await store.CreateCollectionAsync("c", "m", 32);
        var random = new Random(11);
        float[] Unit() => RandomUnit(random, 32);

        var labels = Enumerable.Range(0, 7).Select(_ => Unit()).ToArray();
        await collection.UpsertAsync([.. Enumerable.Range(0, 1001).Select(i => new VectorPoint(PointIds.NameBased("p" + i), Unit(),
            new ImagePayload { Root = "/r", Path = $"{i}.jpg" }))]);
        var classifier = ZeroShotClassifier.FromEmbeddings([.. Enumerable.Range(0, 7).Select(i => $"l{i}")], labels, ZeroShotScoring.ClipDefault);
        var thresholds = new Thresholds(MinMargin: 0.02f);

        var bulk = new List<Categorized>();
        var scrolled = new List<Categorized>();
        var a = await new Categorizer(collection, classifier, "k", thresholds) { BatchSize = 100 }.RunAsync("s", null, dryRun: true, bulk.Add);
        var b = await new Categorizer(new ScrollOnly(collection), classifier, "k", thresholds) { BatchSize = 100 }.RunAsync("s", null, dryRun: true, scrolled.Add);
        Assert.Equal(1001, bulk.Count);
        // The same decisions; bulk reading goes in the order the points were stored, scrolling by id.
        Assert.Equal(Enumerable.Range(0, 1001).Select(i => $"/r/{i}.jpg"), bulk.Select(c => c.Path));
        Assert.Equal(scrolled, bulk.OrderBy(c => c.Id));
        Assert.Equal(a.Distribution, b.Distribution);
        Assert.True(a.Unlabelled > 0);
    }

    [Fact]
    public async Task Run_InterruptedAfterItsFirstBatch_ResumesWithoutRedoingIt()
    {
        using var folder = new TestImageFolder();
        using var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = folder.Store });
        var collection = await store.CreateCollectionAsync("c", "m", 16);
        var random = new Random(12);
        float[] Unit() => RandomUnit(random, 16);

        var labels = Enumerable.Range(0, 3).Select(_ => Unit()).ToArray();
        await collection.UpsertAsync([.. Enumerable.Range(0, 450).Select(i => new VectorPoint(PointIds.NameBased("p" + i), Unit(),
            new ImagePayload { Root = "/r", Path = $"{i}.jpg" }))]);
        var classifier = ZeroShotClassifier.FromEmbeddings(["a", "b", "c"], labels, ZeroShotScoring.ClipDefault);
        var categorizer = new Categorizer(collection, classifier, "k", new Thresholds()) { BatchSize = 100 };

        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            categorizer.RunAsync("s", null, dryRun: false, progress: new SyncProgress(stop), cancellationToken: stop.Token)); // stops once the first batch is written
        var labelled = 0L;
        await foreach (var page in collection.ScrollAsync(null, 1000, withVectors: false))
        {
            labelled += page.Count(p => p.Payload.Labels.ContainsKey("s"));
        }

        Assert.Equal(100, labelled); // the batch written before the interruption

        var resumed = await categorizer.RunAsync("s", null, dryRun: false);
        Assert.Equal((450, 100), (resumed.Images, resumed.AlreadyDone));
        await foreach (var page in collection.ScrollAsync(null, 1000, withVectors: false))
        {
            Assert.All(page, p => Assert.Equal(categorizer.RunId, p.Payload.Labels["s"].RunId));
        }
    }

    /// <summary>Progress reported synchronously (Progress&lt;T&gt; would post it later): cancels at the first report.</summary>
    private sealed class SyncProgress(CancellationTokenSource stop) : IProgress<(int Done, long Total)>
    {
        public void Report((int Done, long Total) value) => stop.Cancel();
    }

    private static float[] RandomUnit(Random random, int dimension)
    {
        var v = Enumerable.Range(0, dimension).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        Core.VectorMath.NormalizeInPlace(v);
        return v;
    }
}
