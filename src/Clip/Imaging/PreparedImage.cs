namespace ClipSearch.Clip.Imaging;

/// <summary>An image turned into a model input: the CHW float32 tensor and what was learned while decoding.</summary>
public sealed record PreparedImage(float[] Tensor, ImageInfo Info)
{
    /// <summary>Time spent decoding the file (for the pipeline's per-stage report).</summary>
    public TimeSpan DecodeTime { get; init; }

    /// <summary>Time spent resizing, cropping and normalising.</summary>
    public TimeSpan PreprocessTime { get; init; }
}
