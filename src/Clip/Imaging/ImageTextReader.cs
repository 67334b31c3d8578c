using System.Xml;
using ClipSearch.Core.Index;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Iptc;
using SixLabors.ImageSharp.Metadata.Profiles.Xmp;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// Reads the text a file carries about itself from ImageSharp's metadata profiles: XMP (dc:title, dc:description,
/// dc:subject) first, then IPTC (ObjectName, Caption, Keywords), then EXIF (XPTitle, ImageDescription, XPKeywords,
/// XPSubject), and EXIF Make and Model. Each profile is read on its own and a malformed one only gives less text:
/// metadata never fails an image. <see cref="ImageText.Create"/> cleans and bounds what is found.
/// </summary>
internal static class ImageTextReader
{
    private const string DublinCore = "http://purl.org/dc/elements/1.1/";

    // Far above any real packet of titles and keywords; a larger one is not read at all.
    private const int MaxXmpBytes = 512 * 1024;

    // An EXIF string is read up to this many characters (a field keeps at most ImageText.MaxDescription anyway).
    private const int MaxExifBytes = 16 * 1024;

    public static ImageText? Read(ImageMetadata? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        var xmp = Try(() => ReadXmp(metadata.XmpProfile)) ?? new Dictionary<string, List<string>>();
        var iptc = metadata.IptcProfile;
        var exif = metadata.ExifProfile;
        string? First(params Func<string?>[] sources) => sources.Select(Try).FirstOrDefault(s => ImageText.Clean(s, ImageText.MaxField) is not null);

        var keywords = new List<string?>();
        keywords.AddRange(xmp.GetValueOrDefault("subject") ?? []);
        keywords.AddRange(Try(() => iptc?.GetValues(IptcTag.Keywords).Select(v => v.Value).ToList()) ?? []);
        keywords.AddRange(Try(() => ExifString(exif, ExifTag.XPKeywords))?.Split(';') ?? []);
        keywords.Add(Try(() => ExifString(exif, ExifTag.XPSubject)));
        return ImageText.Create(
            Try(() => ExifString(exif, ExifTag.Make)),
            Try(() => ExifString(exif, ExifTag.Model)),
            First(() => xmp.GetValueOrDefault("title")?.FirstOrDefault(), () => Iptc(iptc, IptcTag.Name), () => ExifString(exif, ExifTag.XPTitle)),
            First(() => xmp.GetValueOrDefault("description")?.FirstOrDefault(), () => Iptc(iptc, IptcTag.Caption), () => ExifString(exif, ExifTag.ImageDescription)),
            keywords);
    }

    private static T? Try<T>(Func<T?> read)
        where T : class
    {
        try
        {
            return read();
        }
#pragma warning disable CA1031 // Metadata is untrusted and never worth failing an image for: whatever a malformed profile throws, it gives no text.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static string? Iptc(IptcProfile? iptc, IptcTag tag) => iptc?.GetValues(tag).FirstOrDefault()?.Value;

    /// <summary>An EXIF text (ImageSharp decodes the Windows XP tags from their UTF-16 bytes), cut to <see cref="MaxExifBytes"/> characters.</summary>
    private static string? ExifString(ExifProfile? exif, ExifTag<string> tag) =>
        exif?.GetValue(tag)?.Value is { } s ? (s.Length > MaxExifBytes ? s[..MaxExifBytes] : s) : null;

    /// <summary>The texts of dc:title, dc:description (the first alternative is used) and dc:subject (every item) in an XMP packet.</summary>
    private static Dictionary<string, List<string>>? ReadXmp(XmpProfile? profile)
    {
        var data = profile?.ToByteArray();
        if (data is null || data.Length == 0 || data.Length > MaxXmpBytes)
        {
            return null;
        }

        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, // no entity expansion, no external references
            XmlResolver = null,
            MaxCharactersInDocument = MaxXmpBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        string? field = null;
        var depth = 0;
        try
        {
            // Packets are often padded with NULs after their end, which XML does not allow: stop at the first.
            var length = Array.IndexOf(data, (byte)0) is var nul and >= 0 ? nul : data.Length;
            using var reader = XmlReader.Create(new MemoryStream(data, 0, length), settings);
            while (reader.Read())
            {
                if (field is null && reader.NodeType == XmlNodeType.Element && reader.NamespaceURI == DublinCore
                    && reader.LocalName is "title" or "description" or "subject" && !reader.IsEmptyElement)
                {
                    (field, depth) = (reader.LocalName, reader.Depth);
                }
                else if (field is not null && reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
                {
                    field = null;
                }
                else if (field is not null && reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA)
                {
                    var values = found.TryGetValue(field, out var list) ? list : found[field] = [];
                    if (values.Count < ImageText.MaxKeywords)
                    {
                        values.Add(reader.Value);
                    }
                }
            }
        }
        catch (XmlException)
        {
            // A packet broken part way: keep what was read before the break.
        }

        return found;
    }
}
