using System.Text;

namespace ClipSearch.Core.Imaging;

/// <summary>
/// Recognises image formats from their magic bytes: the ones the decoder reads, for choosing files by content,
/// and common ones it does not read, for skip reports.
/// </summary>
public static class FormatSniffer
{
    /// <summary>Bytes of a file's start that <see cref="Recognise"/> looks at.</summary>
    public const int HeaderLength = 32;

    /// <summary>
    /// The image format the content starts like ("jpeg", "png", ... or the name of an unsupported image format),
    /// or null when it does not look like an image. TGA has no signature and is never recognised here.
    /// </summary>
    public static string? Recognise(ReadOnlySpan<byte> data) =>
        SniffSupported(data) ?? (Sniff(data) is { } other && !NotImages.Contains(other) && !other.StartsWith("ISO media", StringComparison.Ordinal) ? other : null);

    /// <summary>The format the content starts like when it is one the decoder reads ("jpeg", "png", ...), else null. TGA is never recognised.</summary>
    public static string? RecogniseSupported(ReadOnlySpan<byte> data) => SniffSupported(data);

    /// <summary>Whether the content starts like no format this class knows, image or not (empty content included).</summary>
    public static bool IsUnknown(ReadOnlySpan<byte> data) => SniffSupported(data) is null && Sniff(data) is null;

    // Named by Sniff for skip reports, but documents and videos rather than images when met by content alone.
    private static readonly HashSet<string> NotImages = ["PDF", "SVG/XML"];

    private static string? SniffSupported(ReadOnlySpan<byte> d)
    {
        if (d.Length >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        {
            return "jpeg";
        }

        if (d.StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return "png";
        }

        if (d.StartsWith("GIF87a"u8) || d.StartsWith("GIF89a"u8))
        {
            return "gif";
        }

        if (d.Length >= 14 && d.StartsWith("BM"u8))
        {
            return "bmp";
        }

        if (d.StartsWith("II*\0"u8) || d.StartsWith("MM\0*"u8) || d.StartsWith("II+\0"u8) || d.StartsWith("MM\0+"u8))
        {
            return "tiff";
        }

        if (d.Length >= 12 && d.StartsWith("RIFF"u8) && d[8..12].SequenceEqual("WEBP"u8))
        {
            return "webp";
        }

        return d.Length >= 3 && d[0] == (byte)'P' && d[1] is >= (byte)'1' and <= (byte)'7' && d[2] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'
            ? "pbm"
            : null;
    }

    public static string Describe(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return "empty file";
        }

        var name = Sniff(data);
        return name is null
            ? $"not a recognised image format (starts with {Convert.ToHexString(data[..Math.Min(8, data.Length)])})"
            : $"{name} is not a supported format";
    }

    private static string? Sniff(ReadOnlySpan<byte> d)
    {
        if (d.Length >= 12 && d[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(d[8..12]);
            return brand switch
            {
                "heic" or "heix" or "hevc" or "heim" or "heis" or "mif1" or "msf1" => "HEIC/HEIF",
                "avif" or "avis" => "AVIF",
                "crx " => "Canon CR3 raw",
                _ => $"ISO media ({brand.Trim()})",
            };
        }

        if (d.StartsWith("8BPS"u8))
        {
            return "Photoshop PSD";
        }

        if (d.StartsWith(new byte[] { 0xFF, 0x0A }) || d.StartsWith("\0\0\0\fJXL "u8))
        {
            return "JPEG XL";
        }

        if (d.StartsWith("\0\0\0\fjP  "u8) || d.StartsWith(new byte[] { 0xFF, 0x4F, 0xFF, 0x51 }))
        {
            return "JPEG 2000";
        }

        if (d.StartsWith("qoif"u8))
        {
            return "QOI";
        }

        if (d.StartsWith(new byte[] { 0, 0, 1, 0 }))
        {
            return "Windows icon (ICO)";
        }

        if (d.StartsWith("%PDF"u8))
        {
            return "PDF";
        }

        if (d.StartsWith("<svg"u8) || d.StartsWith("<?xml"u8))
        {
            return "SVG/XML";
        }

        if (d.Length >= 6 && d[4] is 0x11 or 0x12 && d[5] == 0xAF)
        {
            return "Autodesk FLI/FLC animation";
        }

        if (d.Length >= 3 && d[0] == 0x0A && d[1] is 0 or 2 or 3 or 4 or 5 && d[2] == 1)
        {
            return "PCX";
        }

        if (d.StartsWith(new byte[] { 0x01, 0xDA }))
        {
            return "SGI image";
        }

        return d.StartsWith("FUJIFILMCCD-RAW"u8) ? "Fujifilm RAF raw" : null;
    }
}
