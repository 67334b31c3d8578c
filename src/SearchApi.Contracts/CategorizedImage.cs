namespace ClipSearch.SearchApi.Contracts;

/// <summary>One image's label in a categorization job.</summary>
/// <param name="Id">The image's id.</param>
/// <param name="Path">Its file.</param>
/// <param name="Label">Its best label ("" for none of these).</param>
/// <param name="Score">That label's cosine similarity.</param>
/// <param name="RunnerUp">The second-best label, when there was one.</param>
/// <param name="RunnerUpScore">Its cosine similarity.</param>
/// <param name="ThumbnailUrl">Where its thumbnail is served.</param>
/// <param name="Also">A multi-label job's further labels, best first (null for a single-label job).</param>
public sealed record CategorizedImage(Guid Id, string Path, string Label, float Score, string? RunnerUp, float? RunnerUpScore, string ThumbnailUrl,
    IReadOnlyList<FurtherLabel>? Also = null);
