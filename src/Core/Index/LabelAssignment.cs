namespace ClipSearch.Core.Index;

/// <summary>The label a categorization run gave one image within a label set.</summary>
/// <param name="Label">The winning label.</param>
/// <param name="Score">Cosine similarity of the image to the label's prompt embedding.</param>
/// <param name="RunId">The categorization run that wrote it.</param>
/// <param name="RunnerUp">The second-best label, when there was one.</param>
/// <param name="RunnerUpScore">Its cosine similarity.</param>
public sealed record LabelAssignment(string Label, float Score, string RunId, string? RunnerUp = null, float? RunnerUpScore = null);
