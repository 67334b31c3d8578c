namespace ClipSearch.SearchApi.Contracts;

/// <summary>One label's result.</summary>
/// <param name="Label">The label.</param>
/// <param name="Probability">Softmax probability over the labels given.</param>
/// <param name="Score">Cosine similarity of the image to the label's prompt embedding.</param>
public sealed record LabelProbability(string Label, float Probability, float Score);
