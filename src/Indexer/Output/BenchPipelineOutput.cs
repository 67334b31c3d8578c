namespace ClipSearch.Indexer.Output;

/// <summary><c>bench pipeline --json</c>: throughput of the indexing pipeline and the time per image of each stage.</summary>
internal sealed record BenchPipelineOutput(string Pipeline, int Images, int Skipped, double Seconds, double ImagesPerSecond, int Workers, int Batch,
    string JpegDecode, StageTimesOutput StageMsPerImage);
