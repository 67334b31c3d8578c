namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>Worker to parent: the outcome; a float32 tensor follows when <see cref="Ok"/> (a thumbnail's bytes, <see cref="Format"/> its content type, for a thumbnail request).</summary>
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
    double PreprocessMs,
    ClipSearch.Core.Index.ImageText? Text = null);
