namespace ClipSearch.Core.ZeroShot;

/// <summary>A pair of classes the classifier mixed up: how often, and some of the images.</summary>
public sealed record Confusion(string Truth, string Predicted, int Count, IReadOnlyList<string> Examples);
