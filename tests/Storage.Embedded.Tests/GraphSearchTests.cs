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
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder.Path, "ann"), "g-*.usearch"));
        using (var store = Open(folder))
        {
            var c = (EmbeddedCollection)await store.OpenCollectionAsync("g", Model, Dim);
            await c.WaitForGraphAsync(new CancellationTokenSource(TimeSpan.FromSeconds(40)).Token);
            Assert.True(c.GraphLoadedFromFile, "the saved graph was not reused");
            Assert.True(await RecallAsync(c, points.Skip(1).ToList(), 20) >= 0.95);
        }
    }

    [Fact]
    public void AnnSearch_ManyMoreConcurrentSearchesThanSearchContexts_AllAnswer()
    {
        // USearch fails a search when its per-thread search contexts are all taken ("Reserve capacity ahead of
        // searches!"). A filter that blocks keeps every search in flight at once, as a loaded server would.
        using var index = Ann.AnnIndex.Create(Dim, new Ann.AnnOptions(), threads: 2);
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
