namespace ClipSearch.SearchApi.Contracts;

/// <summary>The label a categorization run gave an image; an empty label means "none of these".</summary>
public sealed record ImageLabel(string Label, float Score, string RunId, string? RunnerUp, float? RunnerUpScore);
