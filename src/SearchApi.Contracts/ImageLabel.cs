namespace ClipSearch.SearchApi.Contracts;

/// <summary>The label a categorization run gave an image; an empty label means "none of these".</summary>
/// <param name="Label">The best label.</param>
/// <param name="Score">Its cosine similarity to the image.</param>
/// <param name="RunId">The run that wrote it.</param>
/// <param name="RunnerUp">The second-best label, when there was one.</param>
/// <param name="RunnerUpScore">Its cosine similarity.</param>
/// <param name="Also">A multi-label run's further labels, best first (null for a single-label run).</param>
public sealed record ImageLabel(string Label, float Score, string RunId, string? RunnerUp, float? RunnerUpScore, IReadOnlyList<FurtherLabel>? Also = null);

/// <summary>A further label of a multi-label run, with its cosine similarity to the image.</summary>
public sealed record FurtherLabel(string Label, float Score);
