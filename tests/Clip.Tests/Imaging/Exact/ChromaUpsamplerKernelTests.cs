using ClipSearch.Clip.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Tests.Imaging.Exact;

/// <summary>
/// The vectorised chroma upsampling against <see cref="ScalarChromaUpsampling"/>, byte for byte, at every vector width
/// this machine runs: random pixels (and smooth ones, where the block means land near halves) at every width from 1 to
/// 70 and odd heights, 4:2:0, 4:2:2 and 4:4:4 (left alone).
/// </summary>
public sealed class ChromaUpsamplerKernelTests
{
    public static TheoryData<string> Widths() => SimdWidths.All();

    [SkippableTheory]
    [MemberData(nameof(Widths))]
    public void Apply_RandomImagesOfEveryWidth_EqualsScalarReference(string width)
    {
        var simd = SimdWidths.Runnable(width);
        var random = new Random(420);
        foreach (var colorType in (JpegColorType[])[JpegColorType.YCbCrRatio420, JpegColorType.YCbCrRatio422, JpegColorType.YCbCrRatio444])
        {
            for (var w = 1; w <= 70; w++)
            {
                AssertSameAsScalar(random, w, random.Next(1, 12), colorType, smooth: w % 2 == 0, simd);
            }

            AssertSameAsScalar(random, 333, 77, colorType, smooth: false, simd);
            AssertSameAsScalar(random, 1024, 3, colorType, smooth: true, simd);
            AssertSameAsScalar(random, 1, 41, colorType, smooth: false, simd);
        }
    }

    private static void AssertSameAsScalar(Random random, int width, int height, JpegColorType colorType, bool smooth, SimdWidth simd)
    {
        var rgba = new byte[width * height * 4];
        random.NextBytes(rgba);
        if (smooth)
        {
            // Neighbouring pixels one level apart: sums and means that often fall on or near .5.
            for (var i = 4; i < rgba.Length; i++)
            {
                rgba[i] = (byte)(rgba[i - 4] + (rgba[i] % 3) - 1);
            }
        }

        using var actual = Image.LoadPixelData<Rgba32>(rgba, width, height);
        using var expected = actual.Clone();
        JpegChromaUpsampler.Apply(actual, colorType, simd);
        ScalarChromaUpsampling.Apply(expected, colorType);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                Assert.True(expected[x, y] == actual[x, y], $"{width}x{height} {colorType} {simd}: pixel ({x}, {y}) is {actual[x, y]}, expected {expected[x, y]}");
            }
        }
    }
}
