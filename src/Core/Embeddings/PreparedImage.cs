using ClipSearch.Core.Imaging;

namespace ClipSearch.Core.Embeddings;

/// <summary>
/// An image decoded and turned into the input of the <see cref="IImageEncoder"/> that prepared it. Its content
/// is that encoder's business: callers hand it back to the same encoder and read only what was learned while decoding.
/// </summary>
public abstract class PreparedImage(ImageInfo info)
{
    public ImageInfo Info { get; } = info;

    /// <summary>Time spent decoding the file (for the pipeline's per-stage report).</summary>
    public TimeSpan DecodeTime { get; init; }

    /// <summary>Time spent resizing, cropping and normalising.</summary>
    public TimeSpan PreprocessTime { get; init; }
}
