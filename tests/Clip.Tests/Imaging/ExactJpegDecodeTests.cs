using System.Security.Cryptography;
using ClipSearch.Clip.Imaging;
using ClipSearch.Tests.Shared;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Tests.Imaging;

/// <summary>
/// The exact decode (no reduced scale: <c>--exact-decode</c>, image queries) gives Pillow's pixels bit for bit: the SHA-256
/// of the RGB bytes against Pillow's, for JPEGs of every kind (tests/data/reference/jpeg-decode, made and hashed by
/// tools/reference-data/jpeg_decode.py with Debian's Pillow 9.4 on libjpeg62-turbo 2.1.5).
/// </summary>
public sealed class ExactJpegDecodeTests
{
    public static TheoryData<string, int, int, string> PillowReference()
    {
        var data = new TheoryData<string, int, int, string>();
        foreach (var line in File.ReadLines(TestPaths.Data("reference", "jpeg-decode", "pillow-rgb.tsv")).Skip(1))
        {
            var f = line.Split('\t');
            data.Add(f[0], int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[3]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PillowReference))]
    public void Decode_Exact_GivesPillowsPixels(string path, int width, int height, string sha256)
    {
        var result = new SafeImageDecoder(new ImageDecodeOptions { ApplyExifOrientation = false }).DecodeFile(TestPaths.Data(path.Split('/')));
        Assert.True(result.Succeeded, $"{path}: {result.Failure}");
        using var decoded = result.Image;
        var image = decoded.Pixels;
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.Equal(sha256, Hash(image));
    }

    /// <summary>A reduced-scale request for a picture too small to reduce gets the exact full-size pixels too.</summary>
    [Fact]
    public void Decode_ScaledButTooSmallToReduce_GivesPillowsPixels()
    {
        var row = PillowReference().Select(r => ((string)r[0], (string)r[3])).Single(r => r.Item1.EndsWith("q90-420.jpg", StringComparison.Ordinal));
        var result = new SafeImageDecoder(new ImageDecodeOptions { ApplyExifOrientation = false, JpegDecodeSize = 224 }).DecodeFile(TestPaths.Data(row.Item1.Split('/')));
        Assert.True(result.Succeeded, $"{row.Item1}: {result.Failure}");
        using var decoded = result.Image;
        var image = decoded.Pixels;
        Assert.Equal(row.Item2, Hash(image));
    }

    private static string Hash(Image<Rgba32> image)
    {
        var rgb = new byte[image.Width * image.Height * 3];
        var i = 0;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (var p in rows.GetRowSpan(y))
                {
                    rgb[i++] = p.R;
                    rgb[i++] = p.G;
                    rgb[i++] = p.B;
                }
            }
        });
        return Convert.ToHexStringLower(SHA256.HashData(rgb));
    }
}
