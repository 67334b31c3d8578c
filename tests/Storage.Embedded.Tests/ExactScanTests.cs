using ClipSearch.Core;
using ClipSearch.Core.Index;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>The exact scan's top k against a naive brute force: odd dimensions and row counts, freed slots, filters, ranges.</summary>
public sealed class ExactScanTests : IDisposable
{
    private readonly TempIndexFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A table over a row file of its own (the rows live in a mapped file, as in the store).</summary>
    private VectorTable NewTable(int dimension)
    {
        var table = new VectorTable(dimension, new RowFiles(_folder.Path, "scan-" + Guid.NewGuid().ToString("N")));
        using (table.WriteLock())
        {
            table.OpenRows("g1");
        }

        return table;
    }

    [Theory]
    [InlineData(7, 1)]
    [InlineData(16, 255)]
    [InlineData(37, 300)]
    [InlineData(80, 257)]
    [InlineData(512, 1001)]
    [InlineData(520, 600)]
    public void Scan_AnyDimensionAndRowCount_MatchesBruteForce(int dimension, int rows)
    {
        using var table = Table(dimension, rows, seed: dimension + rows);
        var query = RandomVector(new Random(rows), dimension);

        AssertScanMatches(table, query, k: 10, 0, table.HighWater, filter: null, float.NegativeInfinity);
    }

    [Fact]
    public void Scan_FreedSlots_NeverReturnedAndTheRestStillRanked()
    {
        using var table = Table(512, 700, seed: 3);
        var query = table.VectorAt(10).ToArray(); // slot 10 would be the best match
        foreach (var slot in new[] { 10, 11, 255, 256, 511, 699 })
        {
            Assert.True(table.Remove(table.Ids[slot]));
        }

        var hits = AssertScanMatches(table, query, k: 20, 0, table.HighWater, filter: null, float.NegativeInfinity);
        Assert.DoesNotContain(10, hits);
    }

    [Fact]
    public void Scan_Filter_OnlyMatchingSlotsInBruteForceOrder()
    {
        using var table = Table(96, 900, seed: 4);
        var query = RandomVector(new Random(4), 96);
        table.Remove(table.Ids[5]);

        AssertScanMatches(table, query, k: 15, 0, table.HighWater, new RangeFilter(NumericField.Width, 100, 400), float.NegativeInfinity);
    }

    [Fact]
    public void Scan_RangeAndMinScore_OnlyThoseSlotsAboveTheScore()
    {
        using var table = Table(512, 1300, seed: 5);
        var query = RandomVector(new Random(5), 512);

        var hits = AssertScanMatches(table, query, k: 50, 130, 1030, filter: null, minScore: 0.05f);
        Assert.All(hits, slot => Assert.InRange(slot, 130, 1029));
    }

    [Fact]
    public void Scan_AllSlotsTie_SmallerIdsFirst()
    {
        using var table = NewTable(32);
        var vector = RandomVector(new Random(6), 32);
        for (var i = 0; i < 300; i++)
        {
            table.Upsert(Guid.NewGuid(), i, i, vector, Payload(i));
        }

        var hits = AssertScanMatches(table, vector, k: 7, 0, table.HighWater, filter: null, float.NegativeInfinity);
        Assert.Equal(Enumerable.Range(0, 300).OrderBy(s => table.Ids[s]).Take(7), hits);
    }

    // Brute force: every live, matching slot in [from, to) scored in double precision, best first, ties by id.
    private static List<int> AssertScanMatches(VectorTable table, float[] query, int k, int from, int to, PointFilter? filter, float minScore)
    {
        var top = new TopK(k, table.Ids);
        table.Scan(query, from, to, filter, minScore, top);
        var expected = Enumerable.Range(from, to - from)
            .Where(s => table.PayloadAt(s) is { } p && (filter is null || filter.Matches(p)))
            .Select(s => (Slot: s, Score: Dot(query, table.VectorAt(s))))
            .Where(x => x.Score >= minScore)
            .OrderByDescending(x => x.Score).ThenBy(x => table.Ids[x.Slot])
            .Take(k)
            .ToList();
        var actual = top.Sorted();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            // Float sums in another order differ in the last bits: equal scores within 1e-5, and the same slot unless a near tie.
            Assert.Equal(expected[i].Score, actual[i].Score, 1e-5);
            Assert.True(expected[i].Slot == actual[i].Slot || Math.Abs(expected[i].Score - Dot(query, table.VectorAt(actual[i].Slot))) < 1e-5,
                $"rank {i}: slot {actual[i].Slot}, expected {expected[i].Slot}");
        }

        return actual.Select(a => a.Slot).ToList();
    }

    private VectorTable Table(int dimension, int rows, int seed)
    {
        var random = new Random(seed);
        var table = NewTable(dimension);
        for (var i = 0; i < rows; i++)
        {
            table.Upsert(Guid.NewGuid(), i, i, RandomVector(random, dimension), Payload(i));
        }

        return table;
    }

    private static ImagePayload Payload(int i) => new() { Path = $"p{i}.jpg", Root = "/photos", Width = i };

    private static float[] RandomVector(Random random, int dimension)
    {
        var v = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        VectorMath.NormalizeInPlace(v);
        return v;
    }

    private static double Dot(float[] a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }
}
