using ClipSearch.Clip.Imaging;
using ClipSearch.Core;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Tests.Imaging;

/// <summary>Damaged files the decoder must name rightly (issue 15, item 8); every file is built here, byte by byte.</summary>
public sealed class SafeImageDecoderTests
{
    private readonly SafeImageDecoder _decoder = new(new ImageDecodeOptions { Timeout = TimeSpan.FromSeconds(10) });

    [Fact]
    public void Decode_TgaDeclaring65535Squared_IsTooLargeNotCorrupt()
    {
        // Uncompressed true-colour TGA header: 65535x65535 at 24 bits, top-left origin, then a few pixels.
        byte[] tga = [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 24, 0x20, .. new byte[30]];

        var result = _decoder.Decode(tga);

        Assert.Equal(SkipReason.TooLarge, result.Failure?.Reason);
        Assert.Contains("65535x65535", result.Failure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_JpegOfStartAndEndMarkersOnly_IsCorrupt()
    {
        var result = _decoder.Decode([0xFF, 0xD8, 0xFF, 0xD9]);

        Assert.Equal(SkipReason.Corrupt, result.Failure?.Reason);
        Assert.Contains("jpeg", result.Failure!.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    public void Decode_ExifWithAnIfdLoop_DecodesWithoutTheExif(string format)
    {
        var file = WithExif(format, ExifWithLoop());

        var result = _decoder.Decode(file);

        Assert.True(result.Succeeded, result.Failure?.ToString());
        using var decoded = result.Image;
        Assert.Equal((24, 16), (decoded.Width, decoded.Height)); // the broken block's orientation is not applied
        Assert.Null(decoded.TakenAt);
    }

    /// <summary>
    /// A little-endian TIFF/EXIF block whose IFD0 holds an Exif sub-IFD pointer back to IFD0 itself and whose
    /// next-IFD offset points back to IFD0 too: a reader that follows either without remembering where it was loops.
    /// </summary>
    private static byte[] ExifWithLoop()
    {
        using var block = new MemoryStream();
        using var w = new BinaryWriter(block);
        w.Write("II"u8);
        w.Write((ushort)42);
        w.Write(8u); // IFD0 at 8
        w.Write((ushort)2); // two entries
        WriteEntry(w, 0x0112, 3, 1, 6); // Orientation = 6 (turned), SHORT
        WriteEntry(w, 0x8769, 4, 1, 8); // ExifIFD pointer -> IFD0 again, LONG
        w.Write(8u); // next IFD -> IFD0 again
        w.Flush();
        return block.ToArray();
    }

    private static void WriteEntry(BinaryWriter w, ushort tag, ushort type, uint count, uint value)
    {
        w.Write(tag);
        w.Write(type);
        w.Write(count);
        w.Write(value);
    }

    /// <summary>A small JPEG or PNG carrying <paramref name="exif"/> as its APP1 segment or eXIf chunk, spliced in by hand (ImageSharp's encoders would parse the block and loop).</summary>
    private static byte[] WithExif(string format, byte[] exif)
    {
        using var image = new Image<Rgb24>(24, 16, new Rgb24(200, 40, 40));
        using var output = new MemoryStream();
        if (format == "png")
        {
            image.SaveAsPng(output);
            var png = output.ToArray();
            const int afterHeader = 8 + 25; // signature, then the IHDR chunk (length, type, 13 bytes, CRC)
            byte[] typeAndData = [.. "eXIf"u8, .. exif];
            return [.. png[..afterHeader], .. BigEndian((uint)exif.Length), .. typeAndData, .. BigEndian(Crc32(typeAndData)), .. png[afterHeader..]];
        }

        image.Save(output, new JpegEncoder { Quality = 90 });
        var jpeg = output.ToArray();
        var length = 2 + 6 + exif.Length;
        return [.. jpeg[..2], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. "Exif\0\0"u8, .. exif, .. jpeg[2..]];
    }

    private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
