namespace ClipSearch.Core.ZeroShot;

/// <summary>When an image is left unlabelled rather than forced into the nearest label.</summary>
/// <param name="MinScore">Minimum cosine similarity of the best label.</param>
/// <param name="MinMargin">Minimum cosine margin of the best label over the runner-up.</param>
public sealed record Thresholds(float? MinScore = null, float? MinMargin = null);
