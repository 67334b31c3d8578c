using ClipSearch.Core.Embeddings;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// Prepares images in this process. A decode that overruns its time limit while still reading its input is
/// stopped; one that spins without reading (ImageSharp 2.1.13 on some tiny interlaced PNGs) can only be
/// abandoned here, so untrusted collections should go through <see cref="Isolation.IsolatedImagePreparer"/>.
/// </summary>
public sealed class InProcessImagePreparer(ImageDecodeOptions options, ClipImagePreprocessor preprocessor) : IImagePreparer
{
    private readonly SafeImageDecoder _decoder = new(options);

    public Task<PrepareResult> PrepareFileAsync(string path, CancellationToken cancellationToken = default) =>
        Task.Run(() => ImagePreparation.Prepare(_decoder, preprocessor, null, path, cancellationToken), cancellationToken);

    public Task<PrepareResult> PrepareBytesAsync(byte[] data, CancellationToken cancellationToken = default) =>
        Task.Run(() => ImagePreparation.Prepare(_decoder, preprocessor, data, null, cancellationToken), cancellationToken);

    public Task WarmUpAsync() => WarmUpImage.PrepareQuietlyAsync(() => PrepareBytesAsync(WarmUpImage.Jpeg), 1);

    public void Dispose()
    {
    }
}
