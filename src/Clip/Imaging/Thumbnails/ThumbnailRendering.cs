using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Processing;

namespace ClipSearch.Clip.Imaging.Thumbnails;

/// <summary>The one way a thumbnail is made, wherever it runs (a decode worker, or in process): decode within the limits, shrink, encode.</summary>
public static class ThumbnailRendering
{
    public static ThumbnailResult Render(ImageDecodeOptions limits, byte[] data, int size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var options = new ImageDecodeOptions
        {
            MaxPixels = limits.MaxPixels,
            MaxFileBytes = limits.MaxFileBytes,
            Timeout = limits.Timeout,
            ApplyExifOrientation = true,
            JpegDecodeSize = size,
        };
        var decoded = new SafeImageDecoder(options).Decode(data, cancellationToken);
        if (!decoded.Succeeded)
        {
            return new ThumbnailResult(null, decoded.Failure);
        }

        using var image = decoded.Image;
        var pixels = image.Pixels;
        if (Math.Max(pixels.Width, pixels.Height) > size)
        {
            pixels.Mutate(p => p.Resize(new ResizeOptions { Mode = ResizeMode.Max, Size = new Size(size, size), Sampler = KnownResamplers.Lanczos3 }));
        }

        using var output = new MemoryStream();
        if (image.HasAlpha)
        {
            pixels.Save(output, new PngEncoder());
            return new ThumbnailResult(new ThumbnailImage(output.ToArray(), "image/png"), null);
        }

        pixels.Save(output, new JpegEncoder { Quality = 85 });
        return new ThumbnailResult(new ThumbnailImage(output.ToArray(), "image/jpeg"), null);
    }
}
