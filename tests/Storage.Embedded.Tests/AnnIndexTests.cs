using System.Numerics.Tensors;
using ClipSearch.Storage.Embedded.Ann;
using ClipSearch.Storage.Embedded.Primitives;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>
/// The HNSW graph on its own, checked against exact brute force over the same float vectors: recall, removal,
/// replacement, filters, growth, concurrency, and the saved file (round trip and every kind of damage).
/// </summary>
public sealed class AnnIndexTests
{
    private const int Dim = 48;

    [Fact]
    public void Search_ClusteredVectors_RecallAgainstBruteForceAndBestFirst()
    {
        var vectors = Clustered(6000, seed: 1);
        using var index = Build(vectors);
        var recall = Recall(index, vectors, Clustered(200, seed: 2), k: 10);
        Assert.True(recall >= 0.95, $"recall@10 {recall:0.000}");

        // Keys come back best first: their exact scores never increase by more than int8 rounding allows.
        var query = vectors[17];
        var keys = new ulong[10];
        Assert.Equal(10, index.Search(query, keys, null));
        Assert.Equal(17UL, keys[0]);
        var scores = keys.Select(k => TensorPrimitives.Dot(query, vectors[(int)k])).ToArray();
        for (var i = 1; i < scores.Length; i++)
        {
            Assert.True(scores[i] <= scores[i - 1] + 0.02f, $"rank {i}: {scores[i]} after {scores[i - 1]}");
        }
    }

    [Fact]
    public void Search_FewerPointsThanAsked_ReturnsAllOfThem()
    {
        var vectors = Clustered(7, seed: 3);
        using var index = Build(vectors);
        var keys = new ulong[20];
        var found = index.Search(vectors[0], keys, null);
        Assert.Equal(7, found);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (ulong)i).Order(), keys[..found].Order());
    }

    [Fact]
    public void Search_EmptyOrDisposed_NothingOrMinusOne()
    {
        var index = AnnIndex.Create(Dim, new AnnOptions(), 127f);
        Assert.Equal(0, index.Search(Clustered(1, 4)[0], new ulong[5], null));
        index.Add(1, Clustered(1, 4)[0]);
        index.Dispose();
        Assert.Equal(-1, index.Search(Clustered(1, 4)[0], new ulong[5], null)); // the store then searches exactly
    }

    [Fact]
    public void Remove_And_Replace_TombstonesAreNeverReturned()
    {
        var vectors = Clustered(3000, seed: 5);
        using var index = Build(vectors);
        for (var i = 0; i < 1000; i++)
        {
            index.Remove((ulong)i);
        }

        index.Remove(999_999); // unknown: ignored
        Assert.Equal(2000, index.Count);
        Assert.Equal(1000, index.Dead);

        var keys = new ulong[10];
        foreach (var q in Enumerable.Range(0, 50))
        {
            var found = index.Search(vectors[q], keys, null);
            Assert.Equal(10, found);
            Assert.All(keys, k => Assert.True(k >= 1000, $"removed key {k} returned"));
        }

        // Replacing key 2000's vector with key 10's old one: a search there now finds 2000 first.
        index.Reserve(index.Count + 1);
        index.Add(2000, vectors[10]);
        Assert.Equal(2000, index.Count);
        Assert.Equal(1001, index.Dead);
        index.Search(vectors[10], keys, null);
        Assert.Equal(2000UL, keys[0]);
    }

    [Fact]
    public void RemoveWhere_TombstonesExactlyTheKeysItAccepts()
    {
        var vectors = Clustered(2500, seed: 14);
        using var index = Build(vectors);
        Assert.False(index.TooManyTombstones);
        Assert.Equal(1250, index.RemoveWhere(k => k % 2 == 1));
        Assert.Equal(1250, index.Count);
        Assert.Equal(1250, index.Dead);
        Assert.True(index.TooManyTombstones);
        var keys = new ulong[10];
        foreach (var q in Enumerable.Range(0, 30))
        {
            Assert.Equal(10, index.Search(vectors[q], keys, null));
            Assert.All(keys, k => Assert.Equal(0UL, k % 2));
        }
    }

    [Fact]
    public void Search_WithFilter_OnlyAcceptedKeysAndStillK()
    {
        var vectors = Clustered(4000, seed: 6);
        using var index = Build(vectors);
        var keys = new ulong[10];
        foreach (var q in Enumerable.Range(0, 30))
        {
            var found = index.Search(vectors[q], keys, k => k % 3 == 0);
            Assert.Equal(10, found);
            Assert.All(keys, k => Assert.Equal(0UL, k % 3));
            var exact = Enumerable.Range(0, vectors.Length).Where(i => i % 3 == 0)
                .OrderByDescending(i => TensorPrimitives.Dot(vectors[q], vectors[i])).Take(10).Select(i => (ulong)i);
            Assert.True(keys.Intersect(exact).Count() >= 8, "filtered results far from the exact filtered top 10");
        }
    }

    [Fact]
    public void Search_WithATenPercentFilter_AsMuchRecallAsWithout()
    {
        // The beam keeps ef accepted nodes, walking the rejected ones between them: here 0.98 at ef 24 (0.84 unfiltered,
        // where the top 10 is mostly one cluster's). A beam scaled down by the filter's share (24 x 10%, so the 10
        // asked for) gave 0.955 here, and 0.77 against 0.93 at ef 64 on 200,000 points.
        var (vectors, queries) = ManySmallClusters(8000, 100);
        using var index = Build(vectors, new AnnOptions { ExpansionSearch = 24 });
        var unfiltered = Recall(index, vectors, queries, k: 10);
        var filtered = Recall(index, vectors, queries, k: 10, filter: key => key % 10 == 3);
        Assert.True(filtered >= 0.97 && filtered >= unfiltered, $"filtered recall@10 {filtered:0.000}, unfiltered {unfiltered:0.000}");
    }

    [Fact]
    public void Add_BeyondCapacity_RefusedUntilReserved()
    {
        var vectors = Clustered(1500, seed: 7);
        using var index = AnnIndex.Create(Dim, new AnnOptions(), AnnIndex.ScaleFor(vectors.SelectMany(v => v).ToArray()));
        for (var i = 0; i < index.Capacity; i++)
        {
            index.Add((ulong)i, vectors[i]);
        }

        var full = index.Count;
        var error = Assert.Throws<InvalidOperationException>(() => index.Add(5000, vectors[full]));
        Assert.Contains("reserve", error.Message, StringComparison.OrdinalIgnoreCase);

        index.Reserve(vectors.Length);
        for (var i = full; i < vectors.Length; i++)
        {
            index.Add((ulong)i, vectors[i]);
        }

        var recall = Recall(index, vectors, vectors.Take(100).ToArray(), k: 10);
        Assert.True(recall >= 0.95, $"recall@10 {recall:0.000}");
    }

    [Fact]
    public async Task ConcurrentAddsAndSearches_NoFailureAndGoodRecall()
    {
        var vectors = Clustered(5000, seed: 8);
        using var index = AnnIndex.Create(Dim, new AnnOptions(), AnnIndex.ScaleFor(vectors.SelectMany(v => v).ToArray()));
        index.Reserve(vectors.Length);
        var searches = 0;
        using var stop = new CancellationTokenSource();
        var searcher = Task.Factory.StartNew(() =>
        {
            var keys = new ulong[10];
            while (!stop.IsCancellationRequested)
            {
                var n = index.Search(vectors[searches % 100], keys, null);
                Assert.All(keys[..n], k => Assert.True(k < (ulong)vectors.Length));
                Interlocked.Increment(ref searches);
            }
        }, TaskCreationOptions.LongRunning);
        SpinWait.SpinUntil(() => Volatile.Read(ref searches) > 0);
        var before = Volatile.Read(ref searches);
        Parallel.For(0, vectors.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => index.Add((ulong)i, vectors[i]));
        var during = Volatile.Read(ref searches) - before;
        await stop.CancelAsync();
        await searcher;
        Assert.True(during > 0, "no search ran while the graph was being built");
        Assert.Equal(vectors.Length, index.Count);
        Assert.True(Recall(index, vectors, Clustered(100, seed: 9), k: 10) >= 0.95);
    }

    [Fact]
    public void SaveAndLoad_SameAnswersAndTombstones()
    {
        var vectors = Clustered(3000, seed: 10);
        using var index = Build(vectors);
        index.Remove(5);
        using var saved = new MemoryStream();
        index.Save(saved);
        saved.Position = 0;
        using var loaded = AnnIndex.Load(saved, Dim, new AnnOptions());
        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(index.Dead, loaded.Dead);
        Assert.Equal(index.Scale, loaded.Scale);
        var a = new ulong[10];
        var b = new ulong[10];
        foreach (var q in Enumerable.Range(0, 40))
        {
            index.Search(vectors[q], a, null);
            loaded.Search(vectors[q], b, null);
            Assert.Equal(a, b);
            Assert.DoesNotContain(5UL, b);
        }

        // Written and read in pieces (a 10M graph's rows are past what one span holds): the same bytes, the same graph.
        var chunk = AnnIndex.RegionChunkBytes;
        try
        {
            AnnIndex.RegionChunkBytes = 1000; // neither a row's nor a list's multiple
            using var pieces = new MemoryStream();
            index.Save(pieces);
            Assert.Equal(saved.ToArray(), pieces.ToArray());
            pieces.Position = 0;
            using var reloaded = AnnIndex.Load(pieces, Dim, new AnnOptions());
            reloaded.Search(vectors[7], b, null);
            index.Search(vectors[7], a, null);
            Assert.Equal(a, b);
        }
        finally
        {
            AnnIndex.RegionChunkBytes = chunk;
        }

        // A loaded index keeps growing.
        loaded.Reserve(loaded.Count + 10);
        loaded.Add(77_777, vectors[5]);
        loaded.Search(vectors[5], b, null);
        Assert.Equal(77_777UL, b[0]);
    }

    public static TheoryData<string> Damage => new() { "truncated", "trailing", "magic", "link", "count", "entry", "dimension" };

    [Theory]
    [MemberData(nameof(Damage))]
    public void Load_DamagedFile_RefusedWithInvalidData(string damage)
    {
        var vectors = Clustered(1200, seed: 11);
        using var saved = new MemoryStream();
        using (var index = Build(vectors))
        {
            index.Save(saved);
        }

        var bytes = saved.ToArray();
        const int Header = 8 + (5 * 4) + 4;
        var nodes = vectors.Length;
        var rowBytes = 64;
        var links0 = Header + (nodes * (8 + 1 + 1)) + (nodes * rowBytes);
        var dimension = Dim;
        switch (damage)
        {
            case "truncated":
                bytes = bytes[..^100];
                break;
            case "trailing":
                bytes = [.. bytes, 1, 2, 3];
                break;
            case "magic":
                bytes[0] ^= 0xFF;
                break;
            case "link":
                BitConverter.GetBytes(nodes + 5).CopyTo(bytes, links0 + 4); // node 0's first neighbour
                break;
            case "count":
                BitConverter.GetBytes(1000).CopyTo(bytes, links0); // node 0's neighbour count
                break;
            case "entry":
                BitConverter.GetBytes(nodes).CopyTo(bytes, 8 + 12);
                break;
            case "dimension":
                dimension = Dim * 2;
                break;
        }

        using var damaged = new MemoryStream(bytes);
        Assert.Throws<InvalidDataException>(() => AnnIndex.Load(damaged, dimension, new AnnOptions()).Dispose());
    }

    [Fact]
    public void ScaleFor_MapsTheLargestComponentInsideTheInt8Range()
    {
        Assert.Equal(127f, AnnIndex.ScaleFor([1f, -0.5f]));
        var scale = AnnIndex.ScaleFor([0.1f, -0.25f]);
        Assert.InRange(0.25f * scale, 110f, 127f);
        Assert.Equal(127f, AnnIndex.ScaleFor([]));
    }

    [Fact]
    public void Int8Dot_EveryVariantTheMachineHas_MatchesPlainArithmetic()
    {
        var random = new Random(12);
        foreach (var length in new[] { 64, 128, 576 })
        {
            // Extremes included: a run of -127 x -127 products, the largest a row can hold.
            var a = Enumerable.Range(0, length).Select(i => i < 8 ? (sbyte)-127 : (sbyte)random.Next(-127, 128)).ToArray();
            var b = Enumerable.Range(0, length).Select(i => i < 8 ? (sbyte)-127 : (sbyte)random.Next(-127, 128)).ToArray();
            var wide = b.Select(x => (short)x).ToArray();
            var expected = a.Zip(b, (x, y) => x * y).Sum();
            unsafe
            {
                fixed (sbyte* pa = a)
                fixed (sbyte* pb = b)
                fixed (short* pw = wide)
                {
                    Assert.Equal(expected, Int8Kernels.DotPaddedScalar(pa, pb, length));
                    Assert.Equal(expected, Int8Kernels.DotPaddedScalar(pa, pw, length));
                    Assert.Equal(expected, Int8Kernels.DotPaddedVector128(pa, pb, length));
                    Assert.Equal(expected, Int8Kernels.DotPaddedVector128(pa, pw, length));
                    Assert.Equal(expected, Int8Kernels.DotPadded(pa, pb, length));
                    Assert.Equal(expected, Int8Kernels.DotPadded(pa, pw, length));
                    if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
                    {
                        Assert.Equal(expected, Int8Kernels.DotPaddedAvx2(pa, pb, length));
                        Assert.Equal(expected, Int8Kernels.DotPaddedAvx2(pa, pw, length));
                    }

                    if (System.Runtime.Intrinsics.X86.Avx512BW.IsSupported)
                    {
                        Assert.Equal(expected, Int8Kernels.DotPaddedAvx512(pa, pb, length));
                        Assert.Equal(expected, Int8Kernels.DotPaddedAvx512(pa, pw, length));
                    }
                }
            }
        }
    }

    [Fact]
    public void Heap_PopsInOrder()
    {
        var random = new Random(13);
        var items = Enumerable.Range(0, 500).Select(i => Heap.Pack(random.Next(-1000, 1000), i)).ToArray();
        var min = new Heap(max: false);
        var max = new Heap(max: true);
        foreach (var item in items)
        {
            min.Push(item);
            max.Push(item);
        }

        Assert.Equal(items.Order(), Enumerable.Range(0, items.Length).Select(_ => min.PopMin()));
        Assert.Equal(items.OrderDescending(), Enumerable.Range(0, items.Length).Select(_ => max.PopMax()));
        Assert.Equal(-7, Heap.Score(Heap.Pack(-7, 42)));
        Assert.Equal(42, Heap.Node(Heap.Pack(-7, 42)));
    }

    private static AnnIndex Build(float[][] vectors, AnnOptions? options = null)
    {
        var index = AnnIndex.Create(Dim, options ?? new AnnOptions(), AnnIndex.ScaleFor(vectors.SelectMany(v => v).ToArray()));
        index.Reserve(vectors.Length);
        for (var i = 0; i < vectors.Length; i++)
        {
            index.Add((ulong)i, vectors[i]);
        }

        return index;
    }

    private static double Recall(AnnIndex index, float[][] vectors, float[][] queries, int k, Func<ulong, bool>? filter = null)
    {
        var keys = new ulong[k];
        var hits = 0;
        foreach (var q in queries)
        {
            var found = index.Search(q, keys, filter);
            var exact = Enumerable.Range(0, vectors.Length).Where(i => filter is null || filter((ulong)i))
                .OrderByDescending(i => TensorPrimitives.Dot(q, vectors[i])).Take(k).Select(i => (ulong)i);
            hits += keys[..found].Intersect(exact).Count();
        }

        return hits / (double)(queries.Length * k);
    }

    /// <summary>Unit vectors around 30 random centres (seeded).</summary>
    /// <summary>
    /// Clusters of five points (centres in an 8-dimensional subspace, so clusters have near and far neighbours), and
    /// queries drawn the same way: a 10% filter leaves about one point a cluster, so a filtered top 10 spans ten clusters.
    /// </summary>
    private static (float[][] Vectors, float[][] Queries) ManySmallClusters(int n, int queries)
    {
        var random = new Random(21);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var basis = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, Dim).Select(_ => (float)Gaussian()).ToArray()).ToArray();
        var centres = Enumerable.Range(0, n / 5).Select(_ =>
        {
            var c = new float[Dim];
            foreach (var b in basis)
            {
                TensorPrimitives.MultiplyAdd(b, (float)Gaussian(), c, c);
            }

            return c.Select(x => x / TensorPrimitives.Norm(c)).ToArray();
        }).ToArray();
        float[] Draw()
        {
            var v = centres[random.Next(centres.Length)].Select(x => x + (float)(0.2 * Gaussian())).ToArray();
            var norm = TensorPrimitives.Norm(v);
            return v.Select(x => x / norm).ToArray();
        }

        var vectors = Enumerable.Range(0, n).Select(_ => Draw()).ToArray();
        return (vectors, Enumerable.Range(0, queries).Select(_ => Draw()).ToArray());
    }

    private static float[][] Clustered(int n, int seed)
    {
        var centres = new Random(99);
        var centre = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, Dim).Select(_ => (float)((centres.NextDouble() * 2) - 1)).ToArray()).ToArray();
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var c = centre[random.Next(centre.Length)];
            var v = c.Select(x => x + (float)(random.NextDouble() - 0.5)).ToArray();
            var norm = TensorPrimitives.Norm(v);
            return v.Select(x => x / norm).ToArray();
        }).ToArray();
    }
}
