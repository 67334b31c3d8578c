using System.Buffers.Binary;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// A walk over a JPEG's markers: libjpeg-turbo (through Skia) decodes files whose structure is damaged (a segment running
/// past the end of the file, a restart interval segment of the wrong length, a frame header inside the scan data) and
/// returns grey blocks without an error, where Pillow and ImageSharp refuse them. Such files go to
/// ImageSharp, which judges them (fuzzed files of shared/hostile-images are skipped as corrupt, as its manifest expects).
/// </summary>
internal static class JpegMarkers
{
    /// <summary>
    /// The most scans a file may have for libjpeg-turbo, which cannot be stopped, to decode it (libjpeg-turbo's own tools
    /// suggest the same limit against progressive files of endless empty scans): a real progressive JPEG has about ten.
    /// More go to ImageSharp, whose decode the time limit stops.
    /// </summary>
    public const int MaxScans = 500;

    /// <summary>
    /// True when the structure is whole and consistent: every segment before the first scan fits in the file, one frame
    /// header of a kind Pillow's libjpeg-turbo decodes (baseline, extended, progressive; Huffman or arithmetic), a
    /// restart interval segment of its fixed length, a scan after the frame; and after it no second frame header, nor,
    /// in a sequential image whose first scan holds every component (so the only scan), any marker but restarts before the
    /// end; and at most <see cref="MaxScans"/> scans.
    /// </summary>
    public static bool AreSound(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            return false;
        }

        var (frames, sequential, components) = (0, false, 0);
        var at = 2;
        while (true)
        {
            // Fill bytes (0xFF repeated) may precede a marker.
            while (at + 1 < data.Length && data[at] == 0xFF && data[at + 1] == 0xFF)
            {
                at++;
            }

            if (at + 4 > data.Length || data[at] != 0xFF)
            {
                return false;
            }

            var marker = data[at + 1];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2; // no length: TEM, restart markers
                continue;
            }

            if (marker is 0xD8 or 0xD9 or 0x00)
            {
                return false; // a second start, an end before any scan, or a stuffed zero where a marker belongs
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
            if (length < 2 || at + 2 + length > data.Length)
            {
                return false;
            }

            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC2 or 0xC9 or 0xCA when length >= 8:
                    (frames, sequential, components) = (frames + 1, marker is not (0xC2 or 0xCA), data[at + 9]);
                    break;
                case >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC):
                    return false; // a frame header too short, or lossless and hierarchical frames (Pillow's libjpeg-turbo 2.1 reads neither)
                case 0xDD when length != 4:
                    return false;
                case 0xDA when frames != 1 || length < 3:
                    return false;
                case 0xDA:
                    return ScansAreSound(data, at + 2 + length, onlyScan: sequential && data[at + 4] == components);
            }

            at += 2 + length;
        }
    }

    /// <summary>The markers after the first scan header: only restarts (and a line count) in an only scan; no second frame in any; at most <see cref="MaxScans"/> scans.</summary>
    private static bool ScansAreSound(ReadOnlySpan<byte> data, int at, bool onlyScan)
    {
        var scans = 1;
        while (at < data.Length)
        {
            var next = data[at..].IndexOf((byte)0xFF);
            if (next < 0 || at + next + 1 >= data.Length)
            {
                return true; // cut short: the decoder reports the missing data itself
            }

            at += next;
            var marker = data[at + 1];
            if (marker is 0x00 or (>= 0xD0 and <= 0xD7))
            {
                at += 2; // a stuffed 0xFF, a restart
                continue;
            }

            if (marker == 0xFF)
            {
                at++;
                continue;
            }

            if (marker == 0xD9)
            {
                return true;
            }

            if ((onlyScan && marker != 0xDC) || marker is 0xD8 or (>= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
                || (marker == 0xDA && ++scans > MaxScans))
            {
                return false;
            }

            if (at + 4 > data.Length)
            {
                return true;
            }

            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
        }

        return true;
    }
}
