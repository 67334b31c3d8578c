namespace ClipSearch.Indexer.Output;

/// <summary>
/// The zero-shot scoring of <c>models inspect --json</c>: <paramref name="Kind"/> "softmax" or "sigmoid", the multiplier
/// of cosines (exp of logit_scale), the sigmoid's bias, and why there are no probabilities when a sigmoid model's values are unknown.
/// </summary>
internal sealed record ScoringOutput(string Kind, float LogitScale, float LogitBias, string? Missing);
