using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Imaging;

/// <summary>A decoded first frame, upright when EXIF orientation was applied. Owns its pixels.</summary>
public sealed class DecodedImage : IDisposable
{
    internal DecodedImage(Image<Rgba32> pixels, string format, int storedWidth, int storedHeight, bool hasAlpha, DateTime? takenAt)
    {
        Pixels = pixels;
        Format = format;
        StoredWidth = storedWidth;
        StoredHeight = storedHeight;
        HasAlpha = hasAlpha;
        TakenAt = takenAt;
    }

    public Image<Rgba32> Pixels { get; }

    /// <summary>Format sniffed from the content ("jpeg", "png", "gif", "bmp", "tiff", "webp", "tga", "pbm").</summary>
    public string Format { get; }

    /// <summary>Width as displayed (after EXIF orientation).</summary>
    public int Width => Pixels.Width;

    /// <summary>Height as displayed (after EXIF orientation).</summary>
    public int Height => Pixels.Height;

    /// <summary>Width as stored in the file.</summary>
    public int StoredWidth { get; }

    /// <summary>Height as stored in the file.</summary>
    public int StoredHeight { get; }

    /// <summary>Whether any pixel is not fully opaque (then resizing is done premultiplied, as the reference does).</summary>
    public bool HasAlpha { get; }

    /// <summary>EXIF DateTimeOriginal (or DateTime) when present and valid; camera-local time, no zone.</summary>
    public DateTime? TakenAt { get; }

    public void Dispose() => Pixels.Dispose();
}
