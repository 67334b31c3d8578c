using ClipSearch.Core.Ranking;

namespace ClipSearch.Core.Tests.Ranking;

public sealed class RankFusionTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");
    private static readonly Guid D = Guid.Parse("00000000-0000-0000-0000-00000000000d");

    [Fact]
    public void Fuse_ScoresAreSumsOfReciprocalRanks()
    {
        var fused = RankFusion.Fuse([A, B, C], [C, D]);

        // C: 1/63 + 1/61 = 0.03227; A: 1/61 = 0.01639; B: 1/62 = 0.01613; D: 1/62 = 0.01613 (B before D: semantic first).
        Assert.Equal([C, A, B, D], fused.Select(f => f.Id));
        Assert.Equal((1.0 / 63) + (1.0 / 61), fused[0].Score, 12);
        Assert.Equal((2, 0), (fused[0].SemanticRank, fused[0].KeywordRank));
        Assert.Null(fused[3].SemanticRank);
        Assert.Null(fused[1].KeywordRank);
    }

    [Fact]
    public void Fuse_KeywordWeight_ScalesTheKeywordSide()
    {
        Assert.Equal([D, A], RankFusion.Fuse([A], [D], keywordWeight: 2f).Select(f => f.Id));
        Assert.Equal([A, D], RankFusion.Fuse([A], [D], keywordWeight: 0.5f).Select(f => f.Id));
        Assert.Empty(RankFusion.Fuse([], []));
    }
}
