namespace ClipSearch.Core.Tests;

public sealed class DotKernelsTests
{
    [SkippableTheory]
    [InlineData(16)]
    [InlineData(96)]
    [InlineData(512)]
    public void Dot4x4_FourVectorsAgainstFourRows_MatchesScalarDotProducts(int dimension)
    {
        Skip.IfNot(DotKernels.Supports4x4(dimension), "this CPU has no AVX-512 (the classifier then uses the 4-row kernel, tested in Storage.Embedded.Tests)");
        var random = new Random(dimension);
        float[] Vector(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5))];
        var vectors = Enumerable.Range(0, 4).Select(_ => Vector(dimension)).ToArray();
        var rows = Vector(7 * dimension);
        var scores = new float[16];
        DotKernels.Dot4x4(vectors[0], vectors[1], vectors[2], vectors[3], rows, 3, dimension, scores);
        for (var v = 0; v < 4; v++)
        {
            for (var r = 0; r < 4; r++)
            {
                var expected = Enumerable.Range(0, dimension).Sum(j => (double)vectors[v][j] * rows[((3 + r) * dimension) + j]);
                Assert.Equal(expected, scores[(4 * v) + r], 4);
            }
        }

        Assert.Throws<ArgumentException>(() => DotKernels.Dot4x4(vectors[0], vectors[1], vectors[2], new float[3], rows, 3, dimension, scores));
    }
}
