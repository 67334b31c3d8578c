namespace ClipSearch.Core.ZeroShot;

/// <summary>When an image is left unlabelled ("none of these") rather than forced into the nearest label.</summary>
/// <param name="MinScore">Minimum cosine similarity of the best label.</param>
/// <param name="MinMargin">Minimum cosine margin of the best label over the runner-up.</param>
/// <param name="MinProbability">
/// Minimum probability of the best label: for a sigmoid model (SigLIP) an absolute yes/no of that label alone; for a
/// softmax model (CLIP) its share among the labels given.
/// </param>
public sealed record Thresholds(float? MinScore = null, float? MinMargin = null, float? MinProbability = null)
{
    /// <summary>The probability a sigmoid model's label needs by default: its own yes (0.5).</summary>
    public const float SigmoidDefault = 0.5f;

    /// <summary>No threshold was given.</summary>
    public bool IsEmpty => MinScore is null && MinMargin is null && MinProbability is null;

    /// <summary>
    /// The thresholds for a model family when the user gave none: a sigmoid model with known scale and bias says "none of
    /// these" when no label reaches probability 0.5 (each label is its own yes/no); a softmax model's probabilities only
    /// compare the labels given, so nothing is left unlabelled by default.
    /// </summary>
    public static Thresholds DefaultFor(ZeroShotScoring scoring)
    {
        ArgumentNullException.ThrowIfNull(scoring);
        return scoring.IsSigmoid && scoring.HasProbabilities ? new Thresholds(MinProbability: SigmoidDefault) : new Thresholds();
    }
}
