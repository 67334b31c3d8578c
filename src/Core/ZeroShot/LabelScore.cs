namespace ClipSearch.Core.ZeroShot;

/// <summary>One label's result for an image: softmax probability over the labels, and cosine similarity.</summary>
public sealed record LabelScore(string Label, float Probability, float Score);
