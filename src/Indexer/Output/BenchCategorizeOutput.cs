namespace ClipSearch.Indexer.Output;

/// <summary><c>bench categorize --json</c>: medians of reading, scoring and dry-run categorization, and one run with writes.</summary>
internal sealed record BenchCategorizeOutput(string Pipeline, int Vectors, int Dimension, int Labels, double ReadSecondsMedian, double ScoreSecondsMedian,
    double DryRunSecondsMedian, double DryRunImagesPerSecond, double WithWritesSeconds, double WithWritesImagesPerSecond);
