using ClipSearch.Core.Ranking;

namespace ClipSearch.Core.Tests.Ranking;

public sealed class DiversityTests
{
    private static float[] Unit(params float[] v)
    {
        var n = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / n)];
    }

    [Fact]
    public void Rerank_BurstOfNearDuplicates_LetsADifferentResultUp()
    {
        // Three near-identical shots ranked first, then a different picture slightly less relevant.
        float[][] vectors = [Unit(1, 0.01f, 0), Unit(1, 0.02f, 0), Unit(1, 0.03f, 0), Unit(0, 1, 0), Unit(0, 0, 1)];
        float[] relevance = [0.30f, 0.299f, 0.298f, 0.29f, 0.20f];

        Assert.Equal([0, 1, 2, 3, 4], Diversity.Rerank(vectors, relevance, 0f, 5));
        var diverse = Diversity.Rerank(vectors, relevance, 0.5f, 5);
        Assert.Equal([0, 3, 4], diverse[..3]); // each pick unlike those before it
        Assert.Equal([0, 1, 2, 3, 4], diverse.Order());
    }

    [Fact]
    public void Rerank_TakeFewerThanAll_RestFollowsInOrder_AndSameInputsSameOrder()
    {
        float[][] vectors = [Unit(1, 0), Unit(1, 0.01f), Unit(0, 1), Unit(0.01f, 1)];
        float[] relevance = [0.4f, 0.39f, 0.38f, 0.37f];
        var first = Diversity.Rerank(vectors, relevance, 0.7f, 2);
        Assert.Equal([0, 2, 1, 3], first);
        Assert.Equal(first, Diversity.Rerank(vectors, relevance, 0.7f, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Diversity.Rerank(vectors, relevance, 1.5f, 2));
    }
}
