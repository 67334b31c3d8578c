namespace ClipSearch.Engine.Categorization;

/// <summary>
/// One image's outcome in a categorization run, as written to its payload and to exports: the label ("" when
/// the image stayed unlabelled, under the minimum score or margin), its cosine score, and the runner-up.
/// </summary>
public sealed record Categorized(Guid Id, string Path, string Label, float Score, string? RunnerUp, float? RunnerUpScore);
