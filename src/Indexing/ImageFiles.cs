using ClipSearch.Core;
using ClipSearch.Core.Imaging;

namespace ClipSearch.Indexing;

/// <summary>
/// Which files an index run looks at. A file is an image candidate when its content starts like an image
/// (<see cref="FormatSniffer.Recognise"/>) or, as a hint, when its extension is an image extension (so that a
/// damaged or unsupported image is reported as skipped instead of vanishing silently). Anything else (videos,
/// sidecars, documents) is ignored and only counted.
/// </summary>
public static class ImageFiles
{
    // Formats the decoder reads, formats it recognises but cannot read, and camera raw formats: a file with one
    // of these extensions is always accounted for (indexed or skipped with a reason).
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "jpg", "jpeg", "jpe", "jfif", "jif", "mpo", "png", "apng", "gif", "bmp", "dib", "tif", "tiff", "btf", "webp", "tga", "icb", "vda", "vst",
        "pbm", "pgm", "ppm", "pnm", "pam",
        "heic", "heif", "hif", "avif", "avifs", "jxl", "jp2", "j2k", "j2c", "jpf", "jpx", "jpm", "psd", "psb", "ico", "cur", "qoi", "dds",
        "blp", "pcx", "sgi", "rgb", "rgba", "bw", "fli", "flc", "xpm", "xbm", "xcf", "svg", "svgz", "eps", "emf", "wmf", "exr", "hdr",
        "djvu", "bpg", "flif", "fits", "fit", "pict", "pct", "wbmp", "wpg", "wal", "ras", "psp", "pkm", "pgf", "nie", "msp", "miff",
        "im", "gd", "ftc", "ff", "jng", "mng",
        "3fr", "ari", "arw", "bay", "cr2", "cr3", "crw", "dcr", "dcs", "dng", "erf", "fff", "iiq", "k25", "kdc", "mef", "mos", "mrw", "nef",
        "nrw", "orf", "pef", "raf", "raw", "rw2", "rwl", "sr2", "srf", "srw", "x3f",
    };

    // Extensions of the formats the decoder reads.
    private static readonly HashSet<string> DecodableExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "jpg", "jpeg", "jpe", "jfif", "jif", "mpo", "png", "apng", "gif", "bmp", "dib", "tif", "tiff", "btf", "webp", "tga", "icb", "vda", "vst",
        "pbm", "pgm", "ppm", "pnm", "pam",
    };

    // Operating-system litter that is never an image even when its name ends like one.
    private static readonly HashSet<string> JunkNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ".DS_Store", "Thumbs.db", "ehthumbs.db", "desktop.ini", "Icon\r", ".localized",
    };

    /// <summary>Folders that hold thumbnails, caches or trash of other tools, never the user's photos.</summary>
    private static readonly HashSet<string> JunkFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "@eaDir", "$RECYCLE.BIN", "System Volume Information", ".Trashes", ".Spotlight-V100", ".fseventsd", ".thumbnails",
    };

    /// <summary>Whether the extension alone says "image".</summary>
    public static bool HasImageExtension(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        return dot >= 0 && dot < fileName.Length - 1 && Extensions.Contains(fileName[(dot + 1)..]);
    }

    /// <summary>
    /// Files never indexed, whatever the options: macOS AppleDouble companions (<c>._photo.jpg</c> holds the
    /// resource fork of photo.jpg, not an image) and OS litter such as .DS_Store and Thumbs.db.
    /// </summary>
    public static bool IsJunkFile(string fileName) => fileName.StartsWith("._", StringComparison.Ordinal) || JunkNames.Contains(fileName);

    /// <summary>Folders never entered: NAS thumbnail folders (@eaDir), recycle bins, OS indexes.</summary>
    public static bool IsJunkFolder(string folderName) => JunkFolders.Contains(folderName);

    /// <summary>Whether the file's first bytes are those of an image format (any one <see cref="FormatSniffer.Recognise"/> knows).</summary>
    public static bool LooksLikeImage(string path)
    {
        var header = new byte[FormatSniffer.HeaderLength];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        return FormatSniffer.Recognise(header.AsSpan(0, stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false))) is not null;
    }

    /// <summary>
    /// The failure as the file's name tells it: content that starts like no known format, in a file named as a
    /// format the decoder reads (a .png whose signature is damaged, a .jpg holding a Git LFS pointer, a .tga whose
    /// header the decoder does not take), is a damaged file of that format rather than an unsupported format.
    /// </summary>
    public static ImageFailure ForFile(ImageFailure failure, string fileName, ReadOnlySpan<byte> header)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var dot = fileName.LastIndexOf('.');
        // Only when the decoder did not recognise the content either: its failure then is the sniffer's description.
        if (failure.Reason != SkipReason.UnsupportedFormat || dot < 0 || !DecodableExtensions.Contains(fileName[(dot + 1)..])
            || !FormatSniffer.IsUnknown(header) || failure.Detail != FormatSniffer.Describe(header))
        {
            return failure;
        }

        return new ImageFailure(SkipReason.Corrupt, $"named .{fileName[(dot + 1)..]} but not such an image: {failure.Detail}");
    }

    /// <summary>Whether a name is hidden on Unix (starts with a dot).</summary>
    public static bool IsHidden(string name) => name.Length > 1 && name[0] == '.';
}
