using ClipSearch.Core.Index;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>
/// The float32 rows in their memory-mapped file (rows/{collection}-{generation}.f32): they survive a restart without
/// being read from the database, match it, and are rebuilt from it whenever the file or its stamp cannot vouch for them.
/// </summary>
public sealed class RowFileTests
{
    private const int Dim = 16;

    [Fact]
    public async Task Restart_CleanClose_RowsMappedFromTheFileAndEqualTheDatabase()
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(300, seed: 1);
        await WriteAsync(folder, points);
        Assert.True(await ReopenAsync(folder, points), "the rows were read from the database, not the stamped file");
    }

    [Theory]
    [InlineData("stamp-garbage")]
    [InlineData("stamp-missing")]
    [InlineData("rows-truncated")]
    [InlineData("rows-missing")]
    public async Task Restart_DamagedOrMissingRowFile_RebuiltFromTheDatabase(string damage)
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(300, seed: 2);
        await WriteAsync(folder, points);
        var rows = Directory.GetFiles(Path.Combine(folder.Path, "rows"), "r-*.f32").Single();
        switch (damage)
        {
            case "stamp-garbage":
                File.WriteAllBytes(rows + ".stamp", [1, 2, 3, 4, 5, 6, 7, 8, 9]);
                break;
            case "stamp-missing":
                File.Delete(rows + ".stamp");
                break;
            case "rows-truncated":
                using (var f = new FileStream(rows, FileMode.Open))
                {
                    f.SetLength(Dim * sizeof(float) * 100);
                }

                break;
            default:
                File.Delete(rows);
                break;
        }

        Assert.False(await ReopenAsync(folder, points));

        // Rebuilt, the file is stamped again on close and serves the next start.
        Assert.True(await ReopenAsync(folder, points));
    }

    [Fact]
    public async Task Restart_StampNamingAWrongPoint_RebuiltFromTheDatabaseWithEveryLabel()
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(300, seed: 6);
        await WriteAsync(folder, points);
        using (var store = folder.Open())
        {
            var c = await store.OpenCollectionAsync("r", Model, Dim);
            await c.SetLabelsAsync("animals", [.. points.Select((p, i) => new KeyValuePair<Guid, LabelAssignment>(p.Id, new LabelAssignment(i % 2 == 0 ? "cat" : "dog", 0.3f, "r")))]);
        }

        // The stamp's last slot (the last point stored) now names a key no point has: the restore places points (and
        // their labels) until it meets that point, then gives up and reads everything from the database.
        var stamp = Directory.GetFiles(Path.Combine(folder.Path, "rows"), "r-*.f32.stamp").Single();
        var bytes = File.ReadAllBytes(stamp);
        const int EndMark = 8;
        Assert.Equal(points.Count - 1, BitConverter.ToInt64(bytes, bytes.Length - EndMark - sizeof(long)));
        BitConverter.GetBytes(999_999L).CopyTo(bytes, bytes.Length - EndMark - sizeof(long));
        File.WriteAllBytes(stamp, bytes);

        using var reopened = folder.Open();
        var again = (EmbeddedCollection)await reopened.OpenCollectionAsync("r", Model, Dim);
        Assert.False(again.RowsRestored);
        Assert.Equal(150, await again.CountAsync(new LabelFilter("animals", ["cat"])));
        Assert.Equal(150, await again.CountAsync(new LabelFilter("animals", ["dog"])));
        await AssertHoldsAsync(again, points);
    }

    [Fact]
    public async Task Restart_StampOlderThanTheDatabase_ChangesSinceAreReadFromIt()
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(400, seed: 3);
        await WriteAsync(folder, points);
        var owner = folder.Open();
        var ownerCollection = (EmbeddedCollection)await owner.OpenCollectionAsync("r", Model, Dim);
        Assert.Equal(points.Count, await ownerCollection.CountAsync());
        Assert.True(ownerCollection.RowsRestored);

        // A second store on the folder (another process, say) gets a private row file and writes while the first one
        // holds the shared file without refreshing: the first one's stamp on close is then older than the database.
        var now = points.ToList();
        using (var other = folder.Open())
        {
            var c = await other.OpenCollectionAsync("r", Model, Dim);
            var changed = RandomPoints(50, seed: 4).Select((p, i) => p with { Id = now[i].Id }).ToList();
            var added = RandomPoints(450, seed: 5).Skip(400).ToList();
            var deleted = now.Skip(100).Take(30).Select(p => p.Id).ToList();
            await c.UpsertAsync(changed);
            await c.UpsertAsync(added);
            await c.DeleteAsync(deleted);
            now = [.. changed, .. now.Skip(50).Where(p => !deleted.Contains(p.Id)), .. added];
        }

        owner.Dispose();
        using var store = folder.Open();
        var reopened = (EmbeddedCollection)await store.OpenCollectionAsync("r", Model, Dim);
        await AssertHoldsAsync(reopened, now);
        Assert.True(reopened.RowsRestored);
    }

    [Fact]
    public async Task Upsert_PastSeveralChunksOfTheFile_EveryRowReadsBackBeforeAndAfterRestart()
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(13_000, seed: 6); // the file grows by chunks of 4,096 rows or half its size
        await WriteAsync(folder, points, batch: 1700);
        Assert.True(await ReopenAsync(folder, points, searches: 5));
    }

    [Fact]
    public async Task Delete_ThenInsert_FreedSlotsReusedAlsoAfterRestart()
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(100, seed: 7);
        await WriteAsync(folder, points);
        var extra = RandomPoints(120, seed: 8).Skip(100).ToList();
        using (var store = folder.Open())
        {
            var c = (EmbeddedCollection)await store.OpenCollectionAsync("r", Model, Dim);
            await c.DeleteAsync(points.Take(20).Select(p => p.Id).ToList());
            await c.UpsertAsync(extra.Take(10).ToList());
            Assert.Equal(100, c.SlotCount);
        }

        using (var store = folder.Open())
        {
            // Ten slots are still free after the restart: ten new points take them, the table does not grow.
            var c = (EmbeddedCollection)await store.OpenCollectionAsync("r", Model, Dim);
            await c.UpsertAsync(extra.Skip(10).ToList());
            Assert.True(c.RowsRestored);
            Assert.Equal(100, c.SlotCount);
            await AssertHoldsAsync(c, [.. points.Skip(20), .. extra]);
        }
    }

    [Fact]
    public async Task Drop_OpenCollection_ItsRowFileIsDeleted()
    {
        using var folder = new TempIndexFolder();
        using var store = folder.Open();
        var c = await store.CreateCollectionAsync("r", Model, Dim);
        await c.UpsertAsync(RandomPoints(50, seed: 10));
        Assert.Single(Directory.GetFiles(Path.Combine(folder.Path, "rows"), "r-*"));
        Assert.True(await store.DropCollectionAsync("r"));
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, "rows"), "r-*"));
    }

    [Fact]
    public async Task Int8Rerank_TableGrownByLaterWrites_KeepsTheEarlierRowsQuantized()
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(3000, seed: 12);
        using var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = folder.Path, SearchMode = SearchMode.Exact, ScanPrecision = ScanPrecision.Int8Rerank });
        var c = await store.CreateCollectionAsync("r", Model, Dim);
        foreach (var chunk in points.Chunk(700)) // the table grows (1,024 slots, then 2,048, then 4,096) between writes
        {
            await c.UpsertAsync(chunk);
        }

        foreach (var query in points.Take(10).Concat(points.TakeLast(10)).Select(p => Perturb(p.Vector)))
        {
            Assert.Equal(BruteForce(points, query, null), (await c.SearchAsync(new VectorQuery(query, 10))).Select(h => h.Id));
        }
    }

    [Theory]
    [InlineData(SearchMode.Exact, ScanPrecision.Full)]
    [InlineData(SearchMode.Exact, ScanPrecision.Int8Rerank)]
    [InlineData(SearchMode.Auto, ScanPrecision.Full)]
    public async Task Search_EveryMode_EqualsBruteForceWithAndWithoutFilterAfterRestart(SearchMode mode, ScanPrecision precision)
    {
        using var folder = new TempIndexFolder();
        var points = RandomPoints(1500, seed: 9);
        var options = new EmbeddedStoreOptions { Path = folder.Path, SearchMode = mode, ScanPrecision = precision };
        options.Ann.Threshold = 1;
        options.Ann.ExpansionSearch = 2048; // a beam as wide as the set
        using (var store = new EmbeddedVectorStore(options))
        {
            var c = await store.CreateCollectionAsync("r", Model, Dim);
            await c.UpsertAsync(points);
        }

        using (var store = new EmbeddedVectorStore(options))
        {
            var c = (EmbeddedCollection)await store.OpenCollectionAsync("r", Model, Dim);
            await c.WaitForGraphAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            Assert.True(c.RowsRestored);
            var filter = new RangeFilter(NumericField.Width, 0, 749); // half the points: the graph path, not a scan of the matches
            var (same, total) = (0, 0);
            foreach (var query in points.Take(20).Select(p => Perturb(p.Vector)))
            {
                foreach (var f in new[] { null, filter })
                {
                    var truth = BruteForce(points, query, f);
                    var hits = await c.SearchAsync(new VectorQuery(query, 10, Filter: f));
                    Assert.All(hits, h => Assert.True(f is null || f.Matches(h.Payload)));
                    Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.Id), hits.Select(h => h.Id));
                    same += hits.Select(h => h.Id).Intersect(truth).Count();
                    total += truth.Count;
                    if (mode == SearchMode.Exact)
                    {
                        Assert.Equal(truth, hits.Select(h => h.Id));
                    }
                }
            }

            if (mode == SearchMode.Auto)
            {
                // HNSW is approximate even with a beam as wide as the set (a node its pruned links leave unreachable, an
                // int8 ranking that pushes a true neighbour past the re-scored candidates): nearly every true neighbour,
                // not all. Counted as a set (recall@10), the order being checked above: compared rank by rank, one missed
                // neighbour shifts every rank after it, and graphs built on several threads under load gave 0.955-1.000
                // (a CI failure), where recall@10 stayed at 0.995-1.000.
                Assert.True(same >= total * 0.97, $"recall@10 {same} of {total} of the brute force's neighbours");
                Assert.True(c.GraphSearches > 0, "the searches did not go through the graph");
            }
        }
    }

    private static async Task WriteAsync(TempIndexFolder folder, List<VectorPoint> points, int batch = 1000)
    {
        using var store = folder.Open();
        var c = await store.CreateCollectionAsync("r", Model, Dim);
        foreach (var chunk in points.Chunk(batch))
        {
            await c.UpsertAsync(chunk);
        }
    }

    /// <summary>Opens the store again, checks it holds <paramref name="points"/>, and tells whether its rows were mapped from the stamped file.</summary>
    private static async Task<bool> ReopenAsync(TempIndexFolder folder, List<VectorPoint> points, int searches = 20)
    {
        using var store = folder.Open();
        var c = (EmbeddedCollection)await store.OpenCollectionAsync("r", Model, Dim);
        await AssertHoldsAsync(c, points, searches);
        return c.RowsRestored;
    }

    /// <summary>Every point's vector reads back bit for bit, nothing else is there, and exact searches find each point first.</summary>
    private static async Task AssertHoldsAsync(EmbeddedCollection c, List<VectorPoint> points, int searches = 20)
    {
        Assert.Equal(points.Count, await c.CountAsync());
        foreach (var p in points)
        {
            var stored = await c.GetAsync(p.Id, withVector: true);
            Assert.NotNull(stored);
            Assert.Equal(p.Vector, stored.Vector);
        }

        foreach (var p in points.Take(searches))
        {
            Assert.Equal(BruteForce(points, p.Vector, null), (await c.SearchAsync(new VectorQuery(p.Vector, 10))).Select(h => h.Id));
        }
    }

    private static List<Guid> BruteForce(List<VectorPoint> points, float[] query, PointFilter? filter) =>
        points.Where(p => filter is null || filter.Matches(p.Payload))
            .Select(p => (p.Id, Score: System.Numerics.Tensors.TensorPrimitives.Dot(p.Vector, query)))
            .OrderByDescending(x => x.Score).Take(10).Select(x => x.Id).ToList();

    private static float[] Perturb(float[] v) => Unit(v.Select((x, i) => x + (i % 3 == 0 ? 0.05f : -0.02f)).ToArray());

    private static float[] Unit(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    [Fact]
    public async Task Close_WhileWritingAndSearching_LaterCallsRefusedAndEveryCommittedWriteKept()
    {
        // A store closed while a write and searches are in flight (the indexer's last batch, an API request at
        // shutdown) used to unmap the rows under them: an access violation that killed the process.
        for (var round = 0; round < 8; round++)
        {
            using var folder = new TempIndexFolder();
            var store = folder.Open();
            var collection = await store.CreateCollectionAsync("c", "m", Dim);
            var points = RandomPoints(200, seed: 40 + round);
            var committed = new System.Collections.Concurrent.ConcurrentQueue<VectorPoint>();
            List<VectorPoint>? refused = null;
            using var enough = new SemaphoreSlim(0);
            var writer = Task.Run(async () =>
            {
                // Until the close refuses it: fresh ids every batch, so each one adds rows (and grows the row file).
                for (var batch = 0; ; batch++)
                {
                    var fresh = points.Skip(batch * 25 % points.Count).Take(25).Select(p => p with { Id = Guid.NewGuid() }).ToList();
                    try
                    {
                        await collection.UpsertAsync(fresh);
                    }
                    catch (ObjectDisposedException)
                    {
                        refused = fresh;
                        return;
                    }

                    foreach (var p in fresh)
                    {
                        committed.Enqueue(p);
                    }

                    if (batch == 10 + round)
                    {
                        enough.Release();
                    }
                }
            });
            var reader = Task.Run(async () =>
            {
                try
                {
                    for (var i = 0; ; i++)
                    {
                        await collection.SearchAsync(new VectorQuery(points[i % points.Count].Vector, 10));
                    }
                }
                catch (ObjectDisposedException)
                {
                }
            });
            Assert.True(await enough.WaitAsync(TimeSpan.FromMinutes(1)), "the writer never got going");
            store.Dispose();
            await Task.WhenAll(writer, reader).WaitAsync(TimeSpan.FromMinutes(1)); // ended by ObjectDisposedException, nothing else

            // Every write that returned is in the store when it is opened again, and the one refused is not: a write
            // that committed returns normally (it used to fail after its commit when the close had disposed the graph
            // it signals).
            using var again = folder.Open();
            var reopened = await again.OpenCollectionAsync("c", null, null);
            Assert.Equal(committed.Count, await reopened.CountAsync());
            foreach (var p in committed)
            {
                Assert.NotNull(await reopened.GetAsync(p.Id));
            }

            Assert.NotNull(refused);
            foreach (var p in refused)
            {
                Assert.Null(await reopened.GetAsync(p.Id));
            }
        }
    }

    private static List<VectorPoint> RandomPoints(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(i =>
        {
            var v = Unit(Enumerable.Range(0, Dim).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray());
            return Point($"p{i}.jpg", v, Payload($"p{i}.jpg", width: i));
        }).ToList();
    }
}
