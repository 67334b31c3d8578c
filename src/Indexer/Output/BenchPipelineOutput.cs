namespace ClipSearch.Indexer.Output;

/// <summary>
/// <c>bench pipeline --json</c>: throughput of the indexing pipeline, the time per image of each stage, and the share
/// of the wall time the encoder was running (<paramref name="EncoderBusy"/>, 0-1, at least one batch encoding: below 1 it
/// waited for decoded images) and, with <paramref name="EncodeStreams"/> batches encoded side by side, the mean share of
/// each stream (<paramref name="StreamBusy"/>; the encode time per image is summed over the streams).
/// </summary>
internal sealed record BenchPipelineOutput(string Pipeline, int Images, int Skipped, double Seconds, double ImagesPerSecond, int Workers, int Batch,
    string JpegDecode, int EncodeStreams, double EncoderBusy, double StreamBusy, StageTimesOutput StageMsPerImage);
