namespace ClipSearch.SearchApi.Contracts;

/// <summary>One image's label in a categorization job.</summary>
public sealed record CategorizedImage(Guid Id, string Path, string Label, float Score, string? RunnerUp, float? RunnerUpScore, string ThumbnailUrl);
