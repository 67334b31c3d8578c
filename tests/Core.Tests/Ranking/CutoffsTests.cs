using ClipSearch.Core.Ranking;

namespace ClipSearch.Core.Tests.Ranking;

public sealed class CutoffsTests
{
    [Fact]
    public void AtFirstJump_ClearDrop_KeepsTheResultsBeforeIt()
    {
        // Three matches near 0.31, then the unrelated images from 0.22 down in small steps.
        float[] scores = [0.312f, 0.309f, 0.305f, .. Enumerable.Range(0, 40).Select(i => 0.22f - (0.001f * i))];
        Assert.Equal(3, Cutoffs.AtFirstJump(scores));
        Assert.Equal(3, Cutoffs.Keep(scores, CutoffMethod.Jump));
    }

    [Fact]
    public void AtFirstJump_EvenDecline_CutsNothing()
    {
        float[] scores = [.. Enumerable.Range(0, 50).Select(i => 0.3f - (0.002f * i))];
        Assert.Equal(scores.Length, Cutoffs.AtFirstJump(scores));
        Assert.Equal(2, Cutoffs.AtFirstJump([0.3f, 0.1f])); // too few scores to tell a jump from the rest
    }

    [Fact]
    public void AtFirstJump_ATinyDropOnAFlatCurve_IsNotAJump()
    {
        // The mean drop is ~0.0001, 4x of it is 0.0004; a drop of 0.005 is below MinJump (0.01), so no cut.
        float[] scores = [0.30f, 0.2999f, 0.2998f, 0.2948f, .. Enumerable.Range(0, 20).Select(i => 0.2947f - (0.00001f * i))];
        Assert.Equal(scores.Length, Cutoffs.AtFirstJump(scores));
    }

    [Fact]
    public void Relative_And_Calibrated_KeepWhatReachesTheirThreshold()
    {
        float[] scores = [0.34f, 0.31f, 0.291f, 0.289f, 0.2f];
        Assert.Equal(1, Cutoffs.Keep(scores, CutoffMethod.Relative)); // background = median 0.291: 0.34 - 0.3 x (0.34 - 0.291) = 0.3253
        Assert.Equal(3, Cutoffs.Keep([0.34f, 0.33f, 0.325f, 0.1f, 0.1f, 0.1f, 0.1f], CutoffMethod.Relative)); // 0.34 - 0.3 x 0.24 = 0.268
        Assert.Equal(4, Cutoffs.Keep(scores, CutoffMethod.Calibrated, 0.25f));
        Assert.Equal(0, Cutoffs.Keep([], CutoffMethod.Relative));
        Assert.Equal(5, Cutoffs.Keep(scores, CutoffMethod.None));
        Assert.Throws<ArgumentNullException>(() => Cutoffs.Keep(scores, CutoffMethod.Calibrated));
    }
}
