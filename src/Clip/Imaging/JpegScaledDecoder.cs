using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// Decodes a JPEG at 1/2, 1/4 or 1/8 of its size in the DCT domain (libjpeg-turbo's scaled IDCT, through
/// Skia): the entropy decoding is the same, but the inverse transform, chroma upsampling and colour conversion
/// work on up to 64 times fewer pixels. ImageSharp 2.1 has no such mode. The scale is the smallest that keeps
/// the shorter side at least the requested size, so the model's resize still only ever shrinks.
/// </summary>
internal static class JpegScaledDecoder
{
    private static readonly float[] Scales = [0.125f, 0.25f, 0.5f];

    /// <summary>
    /// The image at the chosen scale, or null when no reduced scale fits or Skia does not decode the file
    /// cleanly (the caller then decodes it at full size, and judges damaged files the usual way).
    /// </summary>
    public static Image<Rgba32>? TryDecode(byte[] data, int minShortSide)
    {
        using var stream = new SKMemoryStream(data);
        using var codec = SKCodec.Create(stream, out var created);
        if (codec is null || created != SKCodecResult.Success || codec.EncodedFormat != SKEncodedImageFormat.Jpeg)
        {
            return null;
        }

        foreach (var scale in Scales)
        {
            var size = codec.GetScaledDimensions(scale);
            if (Math.Min(size.Width, size.Height) < minShortSide || size.Width <= 0 || size.Height <= 0)
            {
                continue;
            }

            var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var pixels = new byte[info.BytesSize];
            SKCodecResult result;
            unsafe
            {
                fixed (byte* p = pixels)
                {
                    result = codec.GetPixels(info, (nint)p);
                }
            }

            return result == SKCodecResult.Success ? Image.LoadPixelData<Rgba32>(pixels, size.Width, size.Height) : null;
        }

        return null;
    }
}
