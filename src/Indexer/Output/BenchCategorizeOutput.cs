namespace ClipSearch.Indexer.Output;

/// <summary>
/// <c>bench categorize --json</c>: medians of reading, scoring and dry-run categorization, and one run with writes; its write
/// time is that run less the dry run's median (the labels written durably: each batch committed), also per million images.
/// </summary>
internal sealed record BenchCategorizeOutput(string Pipeline, int Vectors, int Dimension, int Labels, double ReadSecondsMedian, double ScoreSecondsMedian,
    double DryRunSecondsMedian, double DryRunImagesPerSecond, double WithWritesSeconds, double WithWritesImagesPerSecond, double WriteSeconds,
    double WriteSecondsPerMillion);
