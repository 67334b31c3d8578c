using ClipSearch.Clip.Models;

namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>
/// Parent to worker: one image to prepare for the model with <see cref="Transform"/> (a path, or the bytes that follow the
/// header), or, when <see cref="ThumbnailSize"/> is set, to render as a thumbnail of that size.
/// </summary>
internal sealed record WorkerRequest(
    string? Path,
    long MaxPixels,
    long MaxFileBytes,
    int TimeoutMs,
    bool ApplyExif,
    PreprocessorConfig? Transform,
    int? JpegDecodeSize,
    int? ThumbnailSize = null);
