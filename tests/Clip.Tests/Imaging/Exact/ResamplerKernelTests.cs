using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Tests.Imaging.Exact;

/// <summary>
/// The vectorised resize and normalisation against <see cref="ScalarPreprocess"/>, byte for byte, on random pixels at
/// every vector width this machine runs: sizes that are not multiples of any vector width, one-pixel sides, extreme
/// shrinking and enlarging, both filters, squash and crop, with and without alpha.
/// </summary>
public sealed class ResamplerKernelTests
{
    public static TheoryData<string> Widths() => SimdWidths.All();

    [SkippableTheory]
    [MemberData(nameof(Widths))]
    public void Preprocess_RandomSmallImages_EqualsScalarReference(string width)
    {
        var simd = SimdWidths.Runnable(width);
        var random = new Random(18);
        for (var w = 1; w <= 70; w++)
        {
            var h = random.Next(1, 71);
            var target = random.Next(1, 40);
            var config = new PreprocessorConfig(target, random.Next(1, target + 1), [0.48145466f, 0.4578275f, 0.40821073f], [0.26862954f, 0.26130258f, 0.27577711f])
            {
                Mode = w % 5 == 0 ? ResizeMode.Squash : ResizeMode.ShortestEdge,
                Resample = w % 3 == 0 ? Resample.Bilinear : Resample.Bicubic,
                Normalize = w % 7 != 0,
            };
            AssertSameAsScalar(random, w, h, hasAlpha: w % 4 == 1, config, simd);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Widths))]
    public void Preprocess_ExtremeScales_EqualsScalarReference(string width)
    {
        var simd = SimdWidths.Runnable(width);
        var random = new Random(2);
        (int W, int H, int Target, int Crop)[] cases =
        [
            (1, 1, 224, 224), (1, 70, 33, 17), (70, 1, 19, 19), (600, 2, 8, 8), (2, 900, 5, 3), (513, 411, 5, 5),
            (1023, 769, 3, 1), (5, 7, 64, 61), (3, 3, 97, 97), (301, 225, 224, 224), (224, 224, 224, 224), (225, 224, 224, 224),
        ];
        foreach (var (w, h, target, crop) in cases)
        {
            var config = PreprocessorConfig.ClipDefault with { ResizeShortestEdge = target, CropSize = crop };
            AssertSameAsScalar(random, w, h, hasAlpha: false, config, simd);
            AssertSameAsScalar(random, w, h, hasAlpha: true, config with { Resample = Resample.Bilinear }, simd);
        }
    }

    private static void AssertSameAsScalar(Random random, int width, int height, bool hasAlpha, PreprocessorConfig config, SimdWidth simd)
    {
        var rgba = new byte[width * height * 4];
        random.NextBytes(rgba);
        for (var i = 3; i < rgba.Length && !hasAlpha; i += 4)
        {
            rgba[i] = 255;
        }

        using var image = Image.LoadPixelData<Rgba32>(rgba, width, height);
        var preprocessor = new ClipImagePreprocessor(config);
        var actual = new float[preprocessor.TensorLength];
        preprocessor.Preprocess(image, hasAlpha, actual, simd);
        var expected = ScalarPreprocess.Tensor(rgba, width, height, hasAlpha, config);
        var first = Enumerable.Range(0, expected.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]), -1);
        Assert.True(first < 0, $"{width}x{height} alpha {hasAlpha} {config.Describe()} {simd}: value {first} is {(first < 0 ? 0 : actual[first])}, expected {(first < 0 ? 0 : expected[first])}");
    }
}
