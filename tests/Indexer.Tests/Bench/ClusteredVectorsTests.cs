using System.Numerics.Tensors;
using ClipSearch.Indexer.Bench;

namespace ClipSearch.Indexer.Tests.Bench;

public sealed class ClusteredVectorsTests
{
    [Theory]
    [InlineData(0, 32)] // independent centres: as many directions as the space has
    [InlineData(5, 5)]
    [InlineData(12, 12)]
    public void Centres_SpanTheLatentDimension(int latent, int expectedRank)
    {
        var vectors = new ClusteredVectors(dimension: 32, clusters: 60, seed: 3, latent);
        Assert.Equal(expectedRank, Rank(Enumerable.Range(0, 60).Select(c => vectors.Centre(c).ToArray())));
    }

    [Fact]
    public void LatentCentres_HaveNearNeighbours_IndependentOnesDoNot()
    {
        // What the option is for: with independent centres every other cluster is about as far as any other (cosines
        // near 0 in 128 dimensions), with a latent dimension of 8 some clusters are much nearer than others.
        Assert.True(MeanNearestCosine(new ClusteredVectors(128, 400, 7, latent: 0)) < 0.4);
        Assert.True(MeanNearestCosine(new ClusteredVectors(128, 400, 7, latent: 8)) > 0.7);
    }

    [Fact]
    public void Chunks_AreUnitVectorsNearTheirCentres_AndTheSameOnEveryRun()
    {
        var vectors = new ClusteredVectors(64, 10, 11, latent: 4);
        var chunk = vectors.Chunk(3, 200);
        Assert.Equal(chunk.Select(v => v.ToArray()), new ClusteredVectors(64, 10, 11, latent: 4).Chunk(3, 200));
        Assert.All(chunk, v => Assert.Equal(1f, TensorPrimitives.Norm(v), 1e-4f));

        // The noise (0.06 a component, 0.48 in 64 dimensions) leaves each point nearer its own centre than any other's by far.
        Assert.All(chunk, v =>
        {
            var cosines = Enumerable.Range(0, 10).Select(c => TensorPrimitives.Dot(v, vectors.Centre(c))).OrderDescending().ToArray();
            Assert.True(cosines[0] > 0.8f, $"nearest centre at {cosines[0]}");
        });
    }

    [Fact]
    public void LatentAboveTheDimension_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClusteredVectors(16, 4, 1, latent: 17));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClusteredVectors(16, 4, 1, latent: -1));
    }

    private static double MeanNearestCosine(ClusteredVectors vectors) =>
        Enumerable.Range(0, vectors.Clusters).Average(a => Enumerable.Range(0, vectors.Clusters).Where(b => b != a)
            .Max(b => TensorPrimitives.Dot(vectors.Centre(a), vectors.Centre(b))));

    /// <summary>How many of the vectors are independent: Gram-Schmidt in double precision, a residual below 1e-4 counting as dependent.</summary>
    private static int Rank(IEnumerable<float[]> vectors)
    {
        var basis = new List<double[]>();
        foreach (var v in vectors)
        {
            var r = v.Select(x => (double)x).ToArray();
            foreach (var b in basis)
            {
                var dot = r.Zip(b, (x, y) => x * y).Sum();
                for (var i = 0; i < r.Length; i++)
                {
                    r[i] -= dot * b[i];
                }
            }

            var norm = Math.Sqrt(r.Sum(x => x * x));
            if (norm > 1e-4)
            {
                basis.Add(r.Select(x => x / norm).ToArray());
            }
        }

        return basis.Count;
    }
}
