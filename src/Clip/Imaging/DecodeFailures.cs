using System.Diagnostics;
using ClipSearch.Core;
using SixLabors.ImageSharp;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// Names the reason for a decode that threw. Decoders throw far more than their own exception types on bad data
/// (NullReference, IndexOutOfRange, DivideByZero, ArgumentOutOfRange, InvalidData were all seen in
/// shared/hostile-images), and ImageSharp 2.1.13 throws <see cref="NotSupportedException"/> both for features
/// it lacks and for values no valid file holds; the messages below tell the two apart.
/// </summary>
internal static class DecodeFailures
{
    // ImageSharp 2.1.13 messages of NotSupportedException for values that no valid file has: the decoder reads
    // every valid PNG bit depth and colour type, JPEGs of 1 to 4 components, and every BMP header size.
    private static readonly string[] InvalidValueMessages =
    [
        "Invalid or unsupported bit depth",
        "Invalid or unsupported color type",
        "components are not supported",
        "Image color space could not be deduced",
        "does not support this BMP file. HeaderSize",
    ];

    private const string ExifNamespace = "SixLabors.ImageSharp.Metadata.Profiles.Exif";

    public static ImageDecodeResult From(Exception e) => e switch
    {
        OutOfMemoryException or InsufficientMemoryException => ImageDecodeResult.Fail(SkipReason.TooLarge, $"not enough memory to decode ({e.GetType().Name})"),
        UnknownImageFormatException => ImageDecodeResult.Fail(SkipReason.UnsupportedFormat, e.Message),
        NotSupportedException when InvalidValueMessages.Any(m => e.Message.Contains(m, StringComparison.Ordinal)) =>
            ImageDecodeResult.Fail(SkipReason.Corrupt, e.Message),
        NotSupportedException => ImageDecodeResult.Fail(SkipReason.UnsupportedFormat, e.Message),
        // ImageSharp's BMP decoder refuses dimensions over 65535 this way ("... is bigger then the max allowed size").
        InvalidOperationException when e.Message.Contains("max allowed size", StringComparison.Ordinal) => ImageDecodeResult.Fail(SkipReason.TooLarge, e.Message),
        // Apple's CgBI "iPhone-optimised" PNG is a PNG variant of its own, not a damaged PNG.
        InvalidImageContentException when e.Message.Contains("Proprietary Apple PNG", StringComparison.Ordinal) =>
            ImageDecodeResult.Fail(SkipReason.UnsupportedFormat, e.Message),
        _ => ImageDecodeResult.Fail(SkipReason.Corrupt, $"{e.GetType().Name}: {e.Message}"),
    };

    /// <summary>Whether the exception came from reading an EXIF block (an IFD loop throws "Collection was modified" there).</summary>
    public static bool IsInExif(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (new StackTrace(current).GetFrames().Any(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith(ExifNamespace, StringComparison.Ordinal) == true))
            {
                return true;
            }
        }

        return false;
    }
}
