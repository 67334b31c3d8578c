using ClipSearch.Core.Index;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Imaging;

/// <summary>A decoded first frame, upright when EXIF orientation was applied. Owns its pixels.</summary>
public sealed class DecodedImage : IDisposable
{
    internal DecodedImage(Image<Rgba32> pixels, string format, int storedWidth, int storedHeight, bool hasAlpha, DateTime? takenAt, int width, int height,
        ImageText? text = null)
    {
        Text = text;
        Pixels = pixels;
        Width = width;
        Height = height;
        Format = format;
        StoredWidth = storedWidth;
        StoredHeight = storedHeight;
        HasAlpha = hasAlpha;
        TakenAt = takenAt;
    }

    public Image<Rgba32> Pixels { get; }

    /// <summary>Format sniffed from the content ("jpeg", "png", "gif", "bmp", "tiff", "webp", "tga", "pbm").</summary>
    public string Format { get; }

    /// <summary>Width of the picture as displayed (after EXIF orientation), at full size even when <see cref="Pixels"/> was decoded smaller.</summary>
    public int Width { get; }

    /// <summary>Height of the picture as displayed (after EXIF orientation), at full size.</summary>
    public int Height { get; }

    /// <summary>Width as stored in the file.</summary>
    public int StoredWidth { get; }

    /// <summary>Height as stored in the file.</summary>
    public int StoredHeight { get; }

    /// <summary>Whether any pixel is not fully opaque (then resizing is done premultiplied, as the reference does).</summary>
    public bool HasAlpha { get; }

    /// <summary>EXIF DateTimeOriginal (or DateTime) when present and valid; camera-local time, no zone.</summary>
    public DateTime? TakenAt { get; }

    /// <summary>Camera, title, description and keywords from the file's metadata, when it has any.</summary>
    public ImageText? Text { get; }

    public void Dispose() => Pixels.Dispose();
}
