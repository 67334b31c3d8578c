using ClipSearch.Clip.Models;

namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>Parent to worker: one image to prepare (a path, or the bytes that follow the header).</summary>
internal sealed record WorkerRequest(
    string? Path,
    long MaxPixels,
    long MaxFileBytes,
    int TimeoutMs,
    bool ApplyExif,
    PreprocessorConfig Transform,
    int? JpegDecodeSize);
