namespace ClipSearch.Clip.Imaging;

/// <summary>An image turned into a model input: the CHW float32 tensor and what was learned while decoding.</summary>
public sealed record PreparedImage(float[] Tensor, ImageInfo Info);
