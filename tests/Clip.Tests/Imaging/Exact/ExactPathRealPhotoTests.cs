using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Models;
using ClipSearch.Tests.Shared;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Tests.Imaging.Exact;

/// <summary>
/// The whole exact path on real decoded JPEGs (4:2:0 and 4:2:2, odd sizes): chroma re-upsampling then the model input,
/// at every vector width, against <see cref="ScalarChromaUpsampling"/> and <see cref="ScalarPreprocess"/>, bit for bit.
/// </summary>
public sealed class ExactPathRealPhotoTests
{
    public static TheoryData<string> Widths() => SimdWidths.All();

    [SkippableTheory]
    [MemberData(nameof(Widths))]
    public void DecodeAndPreprocess_ReferenceJpegs_EqualScalarReference(string width)
    {
        var simd = SimdWidths.Runnable(width);
        var config = PreprocessorConfig.ClipDefault;
        var preprocessor = new ClipImagePreprocessor(config);
        foreach (var path in Directory.GetFiles(TestPaths.Data("reference", "clip-preprocess", "images"), "*.jpg").Order(StringComparer.Ordinal))
        {
            using var actual = Image.Load<Rgba32>(path);
            var colorType = actual.Metadata.GetJpegMetadata().ColorType;
            using var expected = actual.Clone();
            JpegChromaUpsampler.Apply(actual, colorType, simd);
            ScalarChromaUpsampling.Apply(expected, colorType);
            var rgba = new byte[expected.Width * expected.Height * 4];
            expected.CopyPixelDataTo(rgba);
            var upsampled = new byte[rgba.Length];
            actual.CopyPixelDataTo(upsampled);
            Assert.True(rgba.AsSpan().SequenceEqual(upsampled), $"{Path.GetFileName(path)} ({colorType}) upsampled differently at {simd}");

            var tensor = new float[preprocessor.TensorLength];
            preprocessor.Preprocess(actual, hasAlpha: false, tensor, simd);
            Assert.Equal(ScalarPreprocess.Tensor(rgba, expected.Width, expected.Height, hasAlpha: false, config), tensor);
        }
    }
}
