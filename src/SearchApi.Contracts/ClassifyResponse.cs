namespace ClipSearch.SearchApi.Contracts;

/// <summary>Every label's probability (softmax over the labels) and cosine score, best first, and the decision.</summary>
/// <param name="Labels">All labels, best first.</param>
/// <param name="Label">The best label, or null for "none of these" (under the thresholds).</param>
/// <param name="Took">Milliseconds spent.</param>
public sealed record ClassifyResponse(IReadOnlyList<LabelProbability> Labels, string? Label, double Took);
