using System.Text;

namespace ClipSearch.Clip.Imaging;

/// <summary>Names common image formats the decoder does not read, from their magic bytes, for skip reports.</summary>
internal static class FormatSniffer
{
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

        return d.StartsWith("FUJIFILMCCD-RAW"u8) ? "Fujifilm RAF raw" : null;
    }
}
