using ClipSearch.Core;
using ClipSearch.Storage.Embedded.Primitives;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>The SIMD kernels against plain loops, on lengths that exercise every vector width and tail.</summary>
public sealed class KernelTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(96)]
    [InlineData(512)]
    public void Dot4_AnyDimension_MatchesScalarDotProducts(int dimension)
    {
        var random = new Random(dimension);
        var query = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var rows = Enumerable.Range(0, 6 * dimension).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var scores = new float[4];
        DotKernels.Dot4(query, rows, 2, dimension, scores);
        for (var r = 0; r < 4; r++)
        {
            var expected = Enumerable.Range(0, dimension).Sum(j => (double)query[j] * rows[((2 + r) * dimension) + j]);
            Assert.Equal(expected, scores[r], 4);
        }
    }

    [Theory]
    [InlineData(7, 3)]
    [InlineData(16, 1)]
    [InlineData(48, 5)]
    [InlineData(80, 9)]
    [InlineData(512, 4)]
    public void DotRows_AnyDimensionAndCount_MatchesScalarDotProducts(int dimension, int count)
    {
        var random = new Random(dimension);
        var query = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var rows = Enumerable.Range(0, (count + 1) * dimension).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var scores = new float[count];
        DotKernels.DotRows(query, rows.AsSpan(dimension), dimension, scores);
        for (var r = 0; r < count; r++)
        {
            var expected = Enumerable.Range(0, dimension).Sum(j => (double)query[j] * rows[((1 + r) * dimension) + j]);
            Assert.Equal(expected, scores[r], 4);
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(45)]
    [InlineData(96)]
    [InlineData(512)]
    public void Int8Dot_AnyLength_MatchesScalarIntegerDot(int length)
    {
        var random = new Random(length);
        var row = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var query = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var expected = row.Zip(query, (a, b) => a * b).Sum();
        Assert.Equal(expected, Int8Kernels.Dot(row, query.Select(x => (short)x).ToArray()));
    }

    [Fact]
    public void Quantize_UnitVector_ScalesBy127AndClamps()
    {
        var q = new sbyte[4];
        Int8Kernels.Quantize([1f, -1f, 0.5f, 0.004f], q);
        Assert.Equal([127, -127, 64, 1], q.Select(v => (int)v));
    }
}
