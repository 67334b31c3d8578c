using ClipSearch.Clip.Imaging;
using ClipSearch.Core.Embeddings;

namespace ClipSearch.Clip;

/// <summary>
/// The image tower of a <see cref="ClipModel"/> with the way untrusted files are decoded for it (an
/// <see cref="IImagePreparer"/>: in worker processes or in this one, with the given limits). Owns the preparer,
/// not the model.
/// </summary>
public sealed class ClipImageEncoder : IImageEncoder
{
    private readonly ClipModel _model;
    private readonly IImagePreparer _preparer;

    public ClipImageEncoder(ClipModel model, IImagePreparer preparer, ImageDecodeOptions decode)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(preparer);
        ArgumentNullException.ThrowIfNull(decode);
        if (!model.HasImageTower)
        {
            throw new Models.ClipModelException(model.Folder.Root, model.NoImageTower);
        }

        _model = model;
        _preparer = preparer;
        Limits = new ImageLimits(decode.MaxFileBytes, decode.MaxPixels, decode.Timeout);
    }

    public string ModelId => _model.ModelId;

    public int Dimension => _model.ImageDimension;

    public ImageLimits Limits { get; }

    public int Parallelism => _model.ImageStreams;

    public Task<PrepareResult> PrepareFileAsync(string path, CancellationToken cancellationToken = default) => _preparer.PrepareFileAsync(path, cancellationToken);

    public Task WarmUpDecodersAsync() => _preparer.WarmUpAsync();

    public Task<PrepareResult> PrepareBytesAsync(byte[] data, CancellationToken cancellationToken = default) => _preparer.PrepareBytesAsync(data, cancellationToken);

    public float[][] Encode(IReadOnlyList<PreparedImage> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var tensors = new float[images.Count][];
        for (var i = 0; i < images.Count; i++)
        {
            tensors[i] = images[i] is PixelTensor tensor
                ? tensor.Values
                : throw new ArgumentException($"Image {i} was prepared by another encoder ({images[i]?.GetType().Name ?? "null"}); prepare it with this one.", nameof(images));
        }

        return _model.EncodePixelTensors(tensors, cancellationToken);
    }

    public void Dispose() => _preparer.Dispose();
}
