using ClipSearch.Core.Index;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>The approximate (HNSW) path of the embedded store: recall, fresh writes, filters, persistence.</summary>
public sealed class GraphSearchTests
{
    private const int N = 12_000;
    private const int Dim = 32;

    [Fact]
    public async Task GraphSearch_ClusteredVectors_HighRecallAndSeesUnindexedWrites()
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(N, seed: 3);
        using (var store = Open(folder))
        {
            var c = (EmbeddedCollection)await store.CreateCollectionAsync("g", Model, Dim);
            foreach (var chunk in points.Chunk(2000))
            {
                await c.UpsertAsync(chunk);
            }

            await c.WaitForGraphAsync(new CancellationTokenSource(TimeSpan.FromSeconds(40)).Token);
            var recall = await RecallAsync(c, points, 50);
            Assert.True(recall >= 0.95, $"recall@10 {recall:0.000}");
            Assert.True(c.GraphSearches >= 50, "searches did not go through the graph");

            // A point written a moment ago is found even before the graph holds it.
            var fresh = Point("fresh.jpg", Unit(Enumerable.Range(0, Dim).Select(i => i == 5 ? 1f : 0.01f).ToArray()));
            await c.UpsertAsync([fresh]);
            Assert.Equal(fresh.Id, (await c.SearchAsync(new VectorQuery(fresh.Vector, 1)))[0].Id);

            // Deleted points never come back from the graph.
            var gone = points[0];
            await c.DeleteAsync([gone.Id]);
            Assert.DoesNotContain(await c.SearchAsync(new VectorQuery(gone.Vector, 10)), h => h.Id == gone.Id);

            // A broad filter goes through the graph and still returns only matches, the best first.
            var filter = new RangeFilter(NumericField.Width, 0, N / 2);
            var hits = await c.SearchAsync(new VectorQuery(points[7].Vector, 10, Filter: filter));
            Assert.Equal(10, hits.Count);
            Assert.All(hits, h => Assert.True(h.Payload.Width <= N / 2));
        }

        // Reopened, the saved graph is loaded rather than rebuilt, and answers at once.
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder.Path, "ann"), "g-*.hnsw"));
        using (var store = Open(folder))
        {
            var c = (EmbeddedCollection)await store.OpenCollectionAsync("g", Model, Dim);
            await c.WaitForGraphAsync(new CancellationTokenSource(TimeSpan.FromSeconds(40)).Token);
            Assert.True(c.GraphLoadedFromFile, "the saved graph was not reused");
            Assert.True(await RecallAsync(c, points.Skip(1).ToList(), 20) >= 0.95);
        }
    }

    [Fact]
    public async Task FilteredSearch_ScanOrWalk_ChosenByWhatEachCosts()
    {
        // A walk filtered to a share s of the points scores about (nodes an unfiltered search scores) / s nodes, a scan
        // scores the matches: below sqrt(nodes x points) matches the scan is cheaper. Here (12,000 points) that is
        // about 2,000 matches, so a 10% filter (1,200) is scanned, where the old rule (a scan only below 5%, 600)
        // walked the graph; a 40% filter is walked.
        using var folder = new TempIndexFolder();
        var points = RandomPoints(N, seed: 4);
        using var store = Open(folder);
        var c = (EmbeddedCollection)await store.CreateCollectionAsync("g", Model, Dim);
        await c.UpsertAsync(points);
        await c.WaitForGraphAsync(new CancellationTokenSource(TimeSpan.FromSeconds(40)).Token);
        foreach (var p in points.Take(30))
        {
            await c.SearchAsync(new VectorQuery(p.Vector, 10));
        }

        var perSearch = c.ScoredPerSearch;
        var narrow = new RangeFilter(NumericField.Width, 0, (N / 10) - 1);
        var broad = new RangeFilter(NumericField.Width, 0, (N * 4 / 10) - 1);
        Assert.InRange(N / 10, N / 20 + 1, Math.Sqrt(perSearch * N) - 1); // walked by the old rule, scanned by the new
        Assert.True(N * 4 / 10 > Math.Sqrt(perSearch * N), $"{perSearch:0} nodes a search: the broad filter would be scanned too");

        foreach (var (filter, walked) in new[] { (narrow, false), (broad, true) })
        {
            var before = c.GraphSearches;
            var query = points[N - 1].Vector;
            var hits = await c.SearchAsync(new VectorQuery(query, 10, Filter: filter));
            Assert.Equal(walked ? before + 1 : before, c.GraphSearches);
            var truth = points.Where(p => filter.Matches(p.Payload)).OrderByDescending(p => p.Vector.Zip(query, (a, b) => a * b).Sum()).Take(10).Select(p => p.Id);
            Assert.Equal(truth.ToHashSet(), hits.Select(h => h.Id).ToHashSet());
        }
    }

    [Theory]
    [InlineData(1_200, 12_000, 600, 0.0, true)] // 1,200 rows against ~6,000 nodes walked for a 10% share
    [InlineData(4_800, 12_000, 600, 0.0, false)] // 4,800 rows against ~1,500 nodes
    [InlineData(50_000, 10_000_000, 700, 0.0, true)] // 0.5% of 10M in memory: 50,000 rows against 140,000 nodes
    [InlineData(50_000, 10_000_000, 700, 0.4, false)] // the same with 40% of the rows on disk: each read ~1,000 rows' worth
    [InlineData(400_000, 10_000_000, 0, 0.0, true)] // nothing measured yet: the fixed rule, scan below 5%
    [InlineData(600_000, 10_000_000, 0, 0.0, false)]
    [InlineData(200, 10_000_000, 700, 0.4, true)] // a page's worth (20 x k): always scanned
    public void ScanIsCheaper_WeighsTheWalkAgainstTheScan(int matches, int points, double perSearch, double rowsMissing, bool scan) =>
        Assert.Equal(scan, EmbeddedCollection.ScanIsCheaper(matches, points, need: 10, perSearch, rowsMissing));

    [Fact]
    public void AnnSearch_ManyMoreConcurrentSearchesThanSearchContexts_AllAnswer()
    {
        // Many more searches in flight at once than cores, as a loaded server has (the native index used before
        // failed them: "Reserve capacity ahead of searches!"). A filter that blocks keeps every search in flight.
        using var index = Ann.AnnIndex.Create(Dim, new Ann.AnnOptions(), scale: 127f);
        var points = RandomPoints(500, seed: 5);
        for (var i = 0; i < points.Count; i++)
        {
            index.Add((ulong)i, points[i].Vector);
        }

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var found = 0;
        var threads = Enumerable.Range(0, 64).Select(t => new Thread(() =>
        {
            var keys = new ulong[5];
            try
            {
                var n = index.Search(points[t].Vector, keys, key =>
                {
                    Thread.Sleep(1);
                    return true;
                });
                if (n > 0 && keys.AsSpan(0, n).Contains((ulong)t))
                {
                    Interlocked.Increment(ref found);
                }
            }
            catch (InvalidOperationException e)
            {
                failures.Add(e.Message);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
        Assert.True(found >= 60, $"{found} of 64 searches found their own vector");
    }

    [Fact]
    public async Task GraphSearch_MostPointsChanged_GraphRebuiltWithoutTheirOldNodes()
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(6000, seed: 21);
        using var store = Open(folder);
        var c = (EmbeddedCollection)await store.CreateCollectionAsync("g", Model, Dim);
        foreach (var chunk in points.Chunk(2000))
        {
            await c.UpsertAsync(chunk);
        }

        await c.WaitForGraphAsync(new CancellationTokenSource(TimeSpan.FromSeconds(40)).Token);
        Assert.Equal(0, c.GraphTombstones);

        // Half the points get new vectors (another point's, reversed) and 500 are deleted: far beyond the quarter a graph keeps as tombstones.
        var changed = points.Take(3000).Select((p, i) => Point(p.Payload.Path, points[5999 - i].Vector.Reverse().ToArray(), p.Payload)).ToList();
        await c.UpsertAsync(changed);
        await c.DeleteAsync(points.Skip(5500).Select(p => p.Id).ToList());
        await c.WaitForGraphAsync(new CancellationTokenSource(TimeSpan.FromSeconds(40)).Token);
        Assert.InRange(c.GraphTombstones, 0, 5500 / 4);

        var now = changed.Concat(points.Skip(3000).Take(2500)).ToList();
        var recall = await RecallAsync(c, now, 40);
        Assert.True(recall >= 0.95, $"recall@10 after the changes {recall:0.000}");
        Assert.Equal(changed[42].Id, (await c.SearchAsync(new VectorQuery(changed[42].Vector, 1)))[0].Id);
    }

    [Fact]
    public async Task SavedGraphs_CollectionWhoseNameExtendsAnother_KeepsItsFile()
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(1500, seed: 22);
        var ann = Path.Combine(folder.Path, "ann");
        using (var store = Open(folder))
        {
            // "g-2" saves first; "g" saving afterwards must not take "g-2-<generation>.hnsw" for an old file of its own.
            var other = (EmbeddedCollection)await store.CreateCollectionAsync("g-2", Model, Dim);
            await other.UpsertAsync(points);
            await other.WaitForGraphAsync(new CancellationTokenSource(TimeSpan.FromSeconds(40)).Token);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!Directory.Exists(ann) || Directory.GetFiles(ann, "g-2-*.hnsw").Length == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "g-2's graph was never saved");
                await Task.Delay(100);
            }

            var c = (EmbeddedCollection)await store.CreateCollectionAsync("g", Model, Dim);
            await c.UpsertAsync(points);
            await c.WaitForGraphAsync(new CancellationTokenSource(TimeSpan.FromSeconds(40)).Token);
        }

        Assert.Equal(2, Directory.GetFiles(ann, "*.hnsw").Length);
        using (var store = Open(folder))
        {
            foreach (var name in new[] { "g", "g-2" })
            {
                var c = (EmbeddedCollection)await store.OpenCollectionAsync(name, Model, Dim);
                await c.WaitForGraphAsync(new CancellationTokenSource(TimeSpan.FromSeconds(40)).Token);
                Assert.True(c.GraphLoadedFromFile, $"{name}'s graph was rebuilt instead of loaded");
            }
        }
    }

    [Fact]
    public async Task SavedGraph_PointsDeletedBeforeReopen_BecomeTombstonesNotCandidates()
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(4000, seed: 23);
        using (var store = Open(folder))
        {
            var c = (EmbeddedCollection)await store.CreateCollectionAsync("g", Model, Dim);
            await c.UpsertAsync(points);
            await c.WaitForGraphSavedAsync(new CancellationTokenSource(TimeSpan.FromSeconds(40)).Token);
        }

        // Another store (think: another process) deletes 600 points without a graph of its own; the saved file
        // still holds them when the next store opens the collection.
        var exactOnly = new EmbeddedStoreOptions { Path = folder.Path, SearchMode = SearchMode.Exact };
        using (var other = new EmbeddedVectorStore(exactOnly))
        {
            var c = await other.OpenCollectionAsync("g", Model, Dim);
            await c.DeleteAsync(points.Take(600).Select(p => p.Id).ToList());
        }

        using (var store = Open(folder))
        {
            var c = (EmbeddedCollection)await store.OpenCollectionAsync("g", Model, Dim);
            await c.WaitForGraphAsync(new CancellationTokenSource(TimeSpan.FromSeconds(40)).Token);
            Assert.True(c.GraphLoadedFromFile);
            Assert.Equal(600, c.GraphTombstones);
            var hits = await c.SearchAsync(new VectorQuery(points[3].Vector, 10));
            Assert.Equal(10, hits.Count);
            Assert.DoesNotContain(hits, h => points.Take(600).Any(p => p.Id == h.Id));
            Assert.True(await RecallAsync(c, points.Skip(600).ToList(), 30) >= 0.95);
        }
    }

    private static EmbeddedVectorStore Open(TempIndexFolder folder)
    {
        var options = new EmbeddedStoreOptions { Path = folder.Path };
        options.Ann.Threshold = 1000;
        return new EmbeddedVectorStore(options);
    }

    private static async Task<double> RecallAsync(EmbeddedCollection c, List<VectorPoint> points, int queries)
    {
        var random = new Random(11);
        double found = 0;
        for (var q = 0; q < queries; q++)
        {
            var query = points[random.Next(points.Count)].Vector;
            var truth = points.Select(p => (p.Id, S: p.Vector.Zip(query, (a, b) => a * b).Sum())).OrderByDescending(x => x.S).Take(10).Select(x => x.Id).ToHashSet();
            var hits = await c.SearchAsync(new VectorQuery(query, 10));
            found += hits.Count(h => truth.Contains(h.Id)) / 10.0;
        }

        return found / queries;
    }

    private static List<VectorPoint> RandomPoints(int n, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, 50).Select(_ => Unit(Enumerable.Range(0, Dim).Select(_ => (float)Gaussian(random)).ToArray())).ToList();
        return Enumerable.Range(0, n).Select(i =>
        {
            var c = centres[random.Next(centres.Count)];
            var v = Unit(c.Select(x => x + (float)(Gaussian(random) * 0.15)).ToArray());
            return Point($"p{i}.jpg", v, Payload($"p{i}.jpg", width: i));
        }).ToList();
    }

    private static float[] Unit(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
