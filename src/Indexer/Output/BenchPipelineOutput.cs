namespace ClipSearch.Indexer.Output;

/// <summary>
/// <c>bench pipeline --json</c>: throughput of the indexing pipeline, the time per image of each stage, and the share
/// of the wall time the encoder was running (<paramref name="EncoderBusy"/>, 0-1: below 1 it waited for decoded images).
/// </summary>
internal sealed record BenchPipelineOutput(string Pipeline, int Images, int Skipped, double Seconds, double ImagesPerSecond, int Workers, int Batch,
    string JpegDecode, double EncoderBusy, StageTimesOutput StageMsPerImage);
