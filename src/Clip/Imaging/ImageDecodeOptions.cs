using System.ComponentModel.DataAnnotations;

namespace ClipSearch.Clip.Imaging;

/// <summary>Limits for decoding untrusted image files (configuration section <c>ClipSearch:Decoding</c>).</summary>
public sealed class ImageDecodeOptions
{
    public const string SectionName = "ClipSearch:Decoding";

    /// <summary>Largest accepted width x height, checked from the header before any pixel is allocated.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>Largest accepted file.</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Time one image may take to decode; past it the decode is stopped and the file skipped as timed out.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Turn photos upright from their EXIF orientation, as people expect (the reference CLIP transform does not).</summary>
    public bool ApplyExifOrientation { get; set; } = true;

    /// <summary>
    /// When set, JPEGs are decoded at a reduced scale (1/2, 1/4 or 1/8, in the DCT domain, by libjpeg-turbo) as
    /// long as the shorter side stays at least this many pixels: the model's input size makes the result
    /// nearly indistinguishable (embeddings within cosine 0.99 of a full decode) at a fraction of the cost.
    /// Null (the default) decodes at full size, as the reference transform does.
    /// </summary>
    [Range(1, 65535)]
    public int? JpegDecodeSize { get; set; }
}
