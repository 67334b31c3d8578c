using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Models;
using ClipSearch.Tests.Shared;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

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

    /// <summary>
    /// Our transform of <paramref name="imagePath"/> against a reference kept as the 8-bit 224x224 RGB crop that
    /// clip._transform makes before ToTensor (tests/data/reference/clip-preprocess): the reference tensor is rebuilt
    /// from it with torch's float32 arithmetic, (v / 255 - mean) / std.
    /// </summary>
    public static (double Mean, double Max) CompareWithCrop(string imagePath, string expectedPng)
    {
        var result = new SafeImageDecoder(new ImageDecodeOptions { ApplyExifOrientation = false }).DecodeFile(imagePath);
        Assert.True(result.Succeeded, $"{imagePath}: {result.Failure}");
        using var image = result.Image;
        var config = PreprocessorConfig.ClipDefault;
        var actual = new ClipImagePreprocessor(config).Preprocess(image);
        using var crop = Image.Load<Rgb24>(expectedPng);
        Assert.Equal((224, 224), (crop.Width, crop.Height));
        double sum = 0, max = 0;
        var plane = 224 * 224;
        for (var y = 0; y < 224; y++)
        {
            for (var x = 0; x < 224; x++)
            {
                var p = crop[x, y];
                ReadOnlySpan<byte> rgb = [p.R, p.G, p.B];
                for (var c = 0; c < 3; c++)
                {
                    var expected = ((rgb[c] / 255f) - config.Mean[c]) / config.Std[c];
                    var d = Math.Abs(actual[(c * plane) + (y * 224) + x] - expected);
                    sum += d;
                    max = Math.Max(max, d);
                }
            }
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
