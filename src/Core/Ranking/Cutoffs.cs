namespace ClipSearch.Core.Ranking;

/// <summary>
/// Where a query's matches end, from its scores alone (best first). Each method answers how many of the leading scores
/// to keep; the constants are the ones measured best on labelled data (docs/BENCHMARKS.md, <c>clipsearch eval</c>).
/// </summary>
public static class Cutoffs
{
    /// <summary>The method a cut-off of "auto" uses: the best mean F1 of the shown set in the measurements (docs/BENCHMARKS.md).</summary>
    public const CutoffMethod Default = CutoffMethod.Jump;

    /// <summary>A drop is "large" when it is this many times the mean drop over the window.</summary>
    public const float JumpFactor = 8f;

    /// <summary>A drop smaller than this (cosine) is never large, however flat the rest of the window.</summary>
    public const float MinJump = 0.01f;

    /// <summary>The jump is looked for among the first this many scores; beyond them, no cut (everything is kept).</summary>
    public const int JumpWindow = 200;

    /// <summary>
    /// Relative cut: keep the scores in the top this share of the way from the background (the median of the first
    /// <see cref="JumpWindow"/> scores) up to the best. A share rather than a cosine margin, because models spread
    /// their scores very differently (CLIP's text-image cosines span ~0.15, the bundled model's ~0.8).
    /// </summary>
    public const float RelativeShare = 0.3f;

    /// <summary>
    /// How many of <paramref name="scores"/> (descending) to keep by <paramref name="method"/>; <paramref name="calibrated"/>
    /// is the collection's threshold (needed for <see cref="CutoffMethod.Calibrated"/>).
    /// </summary>
    public static int Keep(ReadOnlySpan<float> scores, CutoffMethod method, float? calibrated = null) => method switch
    {
        CutoffMethod.None => scores.Length,
        CutoffMethod.Jump => AtFirstJump(scores),
        CutoffMethod.Relative => scores.Length == 0 ? 0 : Above(scores, RelativeThreshold(scores)),
        CutoffMethod.Calibrated => Above(scores, calibrated ?? throw new ArgumentNullException(nameof(calibrated), "a calibrated cut needs the collection's threshold")),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a cut-off method"),
    };

    /// <summary>
    /// The results before the first drop that is both at least <see cref="MinJump"/> and <see cref="JumpFactor"/> times the mean
    /// drop over the first <see cref="JumpWindow"/> scores; all of them when there is no such drop.
    /// </summary>
    public static int AtFirstJump(ReadOnlySpan<float> scores)
    {
        var window = Math.Min(scores.Length, JumpWindow);
        if (window < 3)
        {
            return scores.Length;
        }

        var mean = (scores[0] - scores[window - 1]) / (window - 1);
        var large = Math.Max(MinJump, JumpFactor * mean);
        for (var i = 0; i + 1 < window; i++)
        {
            if (scores[i] - scores[i + 1] >= large)
            {
                return i + 1;
            }
        }

        return scores.Length;
    }

    /// <summary>The score a relative cut keeps down to (see <see cref="RelativeShare"/>).</summary>
    public static float RelativeThreshold(ReadOnlySpan<float> scores)
    {
        // The median of the leading scores: a level most of them (unrelated to the query) sit at, whatever the collection's size.
        var background = scores[(Math.Min(scores.Length, JumpWindow) - 1) / 2];
        return scores[0] - (RelativeShare * (scores[0] - background));
    }

    /// <summary>How many leading scores are at least <paramref name="threshold"/>.</summary>
    public static int Above(ReadOnlySpan<float> scores, float threshold)
    {
        var n = 0;
        while (n < scores.Length && scores[n] >= threshold)
        {
            n++;
        }

        return n;
    }
}
