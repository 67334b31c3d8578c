using ClipSearch.Core.Index;

namespace ClipSearch.Engine.Categorization;

/// <summary>
/// One image's outcome in a categorization run, as written to its payload and to exports: the label ("" when
/// the image stayed unlabelled, under the thresholds), its cosine score, the runner-up, and, for a multi-label run,
/// the further labels that passed on their own (best first; null for a single-label run).
/// </summary>
public sealed record Categorized(Guid Id, string Path, string Label, float Score, string? RunnerUp, float? RunnerUpScore,
    IReadOnlyList<ScoredLabel>? Also = null);
