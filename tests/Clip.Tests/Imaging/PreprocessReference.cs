using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Models;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Clip.Tests.Imaging;

/// <summary>Reads shared/reference/clip-preprocess (OpenAI CLIP's transform outputs) and measures our difference from it.</summary>
internal static class PreprocessReference
{
    public const string MissingReason = "shared/reference/clip-preprocess is not beside this checkout (it is 24 MB and not copied into the repository)";

    public static string? Folder => TestPaths.Shared("reference", "clip-preprocess");

    public static (double Mean, double Max) Compare(string imageName, bool autoOrient, string expectedSuffix = ".f32")
    {
        var folder = Folder!;
        var decoder = new SafeImageDecoder(new ImageDecodeOptions { ApplyExifOrientation = autoOrient });
        var result = decoder.DecodeFile(Path.Combine(folder, "images", imageName));
        Assert.True(result.Succeeded, $"{imageName}: {result.Failure}");
        using var image = result.Image;
        var actual = new ClipImagePreprocessor(PreprocessorConfig.ClipDefault).Preprocess(image);
        var expected = ReadF32(Path.Combine(folder, "expected", imageName + expectedSuffix));
        Assert.Equal(expected.Length, actual.Length);
        double sum = 0, max = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var d = Math.Abs(actual[i] - expected[i]);
            sum += d;
            max = Math.Max(max, d);
        }

        return (sum / actual.Length, max);
    }

    public static float[] ReadF32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
