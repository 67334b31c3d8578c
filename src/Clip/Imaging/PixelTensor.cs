using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Imaging;

namespace ClipSearch.Clip.Imaging;

/// <summary>A CLIP image input: the CHW float32 tensor of one image, as <see cref="ClipImagePreprocessor"/> makes it.</summary>
internal sealed class PixelTensor(float[] values, ImageInfo info) : PreparedImage(info)
{
    public float[] Values { get; } = values;
}
