using Xunit.Abstractions;

namespace ClipSearch.Clip.Tests.Imaging;

/// <summary>
/// Our transform against OpenAI CLIP's (clip._transform(224) on Pillow) for every image of
/// shared/reference/clip-preprocess. Tolerance from issue #2: mean |diff| &lt;= 0.01 and max &lt;= 0.7
/// in normalised units (one 8-bit level is about 0.015).
/// </summary>
public sealed class ClipImagePreprocessorReferenceTests(ITestOutputHelper output)
{
    private const double MeanTolerance = 0.01;
    private const double MaxTolerance = 0.7;

    public static TheoryData<string> ReferenceImages() =>
    [
        "cmyk_300x200.jpg", "exact_224x224.bmp", "exif3_400x300.jpg", "exif6_400x300.jpg", "graphic_300x200.png",
        "gray_250x400.png", "gray_320x240.jpg", "la_240x180.png", "odd_225x301.png", "photo_1024x1024_444.jpg",
        "photo_1920x1080_q75.jpg", "photo_320x240.webp", "photo_4000x3000.jpg", "photo_480x640.jpg", "photo_640x480.jpg",
        "rgb16_200x300.png", "rgba_gradient_256.png", "rgba_logo_500x300.png", "tall_100x1500.jpg", "tiny_10x10.png",
        "tiny_7x3.png", "wide_2000x100.png",
    ];

    [SkippableTheory]
    [MemberData(nameof(ReferenceImages))]
    public void Preprocess_ReferenceImage_MatchesClipTransform(string image)
    {
        Skip.If(PreprocessReference.Folder is null, PreprocessReference.MissingReason);
        var (mean, max) = PreprocessReference.Compare(image, autoOrient: false);
        output.WriteLine($"{image}: mean {mean:0.00000} max {max:0.0000}");
        Assert.True(mean <= MeanTolerance && max <= MaxTolerance, $"{image}: mean {mean:0.00000} (<= {MeanTolerance}), max {max:0.0000} (<= {MaxTolerance})");
    }

    [SkippableTheory]
    [InlineData("exif3_400x300.jpg")]
    [InlineData("exif6_400x300.jpg")]
    public void Preprocess_ExifOrientedPhoto_MatchesAutoOrientedReference(string image)
    {
        Skip.If(PreprocessReference.Folder is null, PreprocessReference.MissingReason);
        var (mean, max) = PreprocessReference.Compare(image, autoOrient: true, ".autoorient.f32");
        output.WriteLine($"{image} upright: mean {mean:0.00000} max {max:0.0000}");
        Assert.True(mean <= MeanTolerance && max <= MaxTolerance, $"{image}: mean {mean:0.00000}, max {max:0.0000}");
    }

    [SkippableTheory]
    [InlineData("palette_300x300.png")]
    [InlineData("anim_200x150.gif")]
    [InlineData("gray16_300x300.png")]
    public void Preprocess_PillowArtefactImage_Report(string image)
    {
        Skip.If(PreprocessReference.Folder is null, PreprocessReference.MissingReason);
        var (mean, max) = PreprocessReference.Compare(image, autoOrient: false);
        output.WriteLine($"{image}: mean {mean:0.00000} max {max:0.0000}");
        Assert.True(mean >= 0);
    }
}
