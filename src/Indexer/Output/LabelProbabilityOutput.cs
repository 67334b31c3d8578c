namespace ClipSearch.Indexer.Output;

/// <summary>A label's probability among the labels given, and its cosine similarity.</summary>
internal sealed record LabelProbabilityOutput(string Label, double Probability, double Score);
