namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>Parent to worker: one image to prepare (a path, or the bytes that follow the header).</summary>
internal sealed record WorkerRequest(
    string? Path,
    long MaxPixels,
    long MaxFileBytes,
    int TimeoutMs,
    bool ApplyExif,
    int Resize,
    int Crop,
    float[] Mean,
    float[] Std,
    int? JpegDecodeSize);

/// <summary>Worker to parent: the outcome; a float32 tensor follows when <see cref="Ok"/>.</summary>
internal sealed record WorkerResponse(
    bool Ok,
    string? Reason,
    string? Detail,
    string? Format,
    int Width,
    int Height,
    bool HasAlpha,
    DateTime? TakenAt,
    double DecodeMs,
    double PreprocessMs);
