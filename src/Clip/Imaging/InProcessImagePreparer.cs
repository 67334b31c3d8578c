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
        Task.Run(() => Prepare(_decoder.DecodeFile(path, cancellationToken)), cancellationToken);

    public Task<PrepareResult> PrepareBytesAsync(byte[] data, CancellationToken cancellationToken = default) =>
        Task.Run(() => Prepare(_decoder.Decode(data, cancellationToken)), cancellationToken);

    internal PrepareResult Prepare(ImageDecodeResult decoded)
    {
        if (!decoded.Succeeded)
        {
            return PrepareResult.Fail(decoded.Failure);
        }

        using var image = decoded.Image;
        return new PrepareResult(new PreparedImage(preprocessor.Preprocess(image), ImageInfo.Of(image)), null);
    }

    public void Dispose()
    {
    }
}
