using System.Diagnostics;
using ClipSearch.Core;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Imaging;

namespace ClipSearch.Clip.Imaging;

/// <summary>Decode then preprocess, timed: the one implementation behind both image preparers (in-process and worker processes).</summary>
internal static class ImagePreparation
{
    public static PrepareResult Prepare(SafeImageDecoder decoder, ClipImagePreprocessor preprocessor, byte[]? data, string? path, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var decoded = path is null ? decoder.Decode(data!, cancellationToken) : decoder.DecodeFile(path, cancellationToken);
        var decodeTime = clock.Elapsed;
        if (!decoded.Succeeded)
        {
            return PrepareResult.Fail(decoded.Failure);
        }

        using var image = decoded.Image;
        clock.Restart();
        float[] tensor;
        try
        {
            tensor = preprocessor.Preprocess(image);
        }
        catch (Exception e) when (e is OutOfMemoryException or InsufficientMemoryException)
        {
            return PrepareResult.Fail(SkipReason.TooLarge, $"not enough memory to resize ({e.GetType().Name})");
        }

        var info = new ImageInfo(image.Format, image.Width, image.Height, image.HasAlpha, image.TakenAt, image.Text);
        return new PrepareResult(new PixelTensor(tensor, info) { DecodeTime = decodeTime, PreprocessTime = clock.Elapsed }, null);
    }
}
