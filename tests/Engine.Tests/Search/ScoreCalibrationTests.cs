using ClipSearch.Engine.Search;

namespace ClipSearch.Engine.Tests.Search;

public sealed class ScoreCalibrationTests
{
    [Fact]
    public void Threshold_IsTheQuantileOfEveryProbeImagePair()
    {
        // Probes (normalised here) against three images: scores 1, 0.6, 0 and 0, 0.8, 1; sorted 0 0 0.6 0.8 1 1.
        float[][] probes = [[2f, 0f], [0f, 3f]];
        float[][] images = [[1f, 0f], [0.6f, 0.8f], [0f, 1f]];

        Assert.Equal(0.6f, ScoreCalibration.Threshold(probes, images, 0.5), 5);
        Assert.Equal(0.8f, ScoreCalibration.Threshold(probes, images, 0.65), 5);
        Assert.Equal(1f, ScoreCalibration.Threshold(probes, images, 1.0), 5);
        Assert.Equal(1f, ScoreCalibration.Threshold(probes, [], 0.9)); // nothing to compare: nothing counts as a match
    }
}
