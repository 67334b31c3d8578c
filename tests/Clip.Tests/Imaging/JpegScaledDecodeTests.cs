using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Inference;
using ClipSearch.Core;
using ClipSearch.Tests.Shared;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace ClipSearch.Clip.Tests.Imaging;

/// <summary>
/// JPEGs decoded at reduced scale in the DCT domain must give the model the same picture as a full decode:
/// embeddings within cosine 0.99 (the bar the indexer is held to), sizes and orientation reported at full size,
/// and files the scaled decoder cannot read handled exactly as before.
/// </summary>
public sealed class JpegScaledDecodeTests(ITestOutputHelper output) : IDisposable
{
    private readonly ClipModel _model = ClipModel.Load(TestPaths.TinyClip, new ClipEngineOptions { Device = ExecutionDevice.Cpu });

    private static readonly ImageDecodeOptions Full = new();
    private static ImageDecodeOptions Scaled => new() { JpegDecodeSize = 224 };

    /// <summary>A photo-like JPEG: smooth colour waves, a few blocks, grain.</summary>
    private static byte[] Photo(int width, int height, int seed, ushort? orientation = null)
    {
        var random = new Random(seed);
        using var image = new Image<Rgb24>(width, height);
        var (fx, fy, phase) = (random.NextDouble() * 6 / width, random.NextDouble() * 6 / height, random.NextDouble() * 6);
        var blocks = Enumerable.Range(0, 5).Select(_ => (X: random.Next(width), Y: random.Next(height), W: random.Next(width / 8, width / 3),
            H: random.Next(height / 8, height / 3), C: new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)))).ToList();
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var block = blocks.FirstOrDefault(b => x >= b.X && x < b.X + b.W && y >= b.Y && y < b.Y + b.H);
                    var grain = random.Next(-6, 7);
                    row[x] = block.W > 0
                        ? new Rgb24((byte)Math.Clamp(block.C.R + grain, 0, 255), (byte)Math.Clamp(block.C.G + grain, 0, 255), (byte)Math.Clamp(block.C.B + grain, 0, 255))
                        : new Rgb24((byte)Math.Clamp(128 + (100 * Math.Sin((x * fx * 6.28) + phase)) + grain, 0, 255),
                            (byte)Math.Clamp(128 + (90 * Math.Sin((y * fy * 6.28) + phase)) + grain, 0, 255),
                            (byte)Math.Clamp(120 + (60 * Math.Cos(((x * fx) + (y * fy)) * 6.28)) + grain, 0, 255));
                }
            }
        });
        if (orientation is { } o)
        {
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, o);
        }

        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio420 });
        return buffer.ToArray();
    }

    private (DecodedImage Image, float[] Embedding) Embed(byte[] jpeg, ImageDecodeOptions options)
    {
        var decoded = new SafeImageDecoder(options).Decode(jpeg);
        Assert.True(decoded.Succeeded, decoded.Failure?.ToString());
        return (decoded.Image, _model.EncodePixelTensors([_model.Preprocessor.Preprocess(decoded.Image)])[0]);
    }

    [Theory]
    [InlineData(4000, 3000, 375)] // 12 MP: 1/8
    [InlineData(2592, 1944, 243)] // 5 MP: 1/8
    [InlineData(1600, 1200, 300)] // 2 MP: 1/4
    [InlineData(800, 600, 300)] // 1/2
    [InlineData(1200, 4000, 300)] // portrait, 1/4
    public void Decode_ScaledJpeg_EmbeddingWithinCosine099OfAFullDecode(int width, int height, int expectedShortSide)
    {
        var jpeg = Photo(width, height, width + height);
        var (full, fullEmbedding) = Embed(jpeg, Full);
        var (scaled, scaledEmbedding) = Embed(jpeg, Scaled);
        using (full)
        using (scaled)
        {
            Assert.Equal(expectedShortSide, Math.Min(scaled.Pixels.Width, scaled.Pixels.Height));
            Assert.Equal((width, height), (scaled.Width, scaled.Height)); // reported at full size
            Assert.Equal((full.Width, full.Height, full.Format), (scaled.Width, scaled.Height, scaled.Format));
            var cosine = VectorMath.Cosine(fullEmbedding, scaledEmbedding);
            output.WriteLine($"{width}x{height}: decoded at {scaled.Pixels.Width}x{scaled.Pixels.Height}, cosine {cosine:0.00000}");
            Assert.True(cosine >= 0.99f, $"cosine {cosine}");
        }
    }

    [Fact]
    public void Decode_ScaledJpegWithExifOrientation_IsTurnedLikeTheFullDecode()
    {
        var jpeg = Photo(2400, 1600, 7, orientation: 6); // stored landscape, shown portrait
        var (full, fullEmbedding) = Embed(jpeg, Full);
        var (scaled, scaledEmbedding) = Embed(jpeg, Scaled);
        using (full)
        using (scaled)
        {
            Assert.Equal((1600, 2400), (full.Width, full.Height));
            Assert.Equal((1600, 2400), (scaled.Width, scaled.Height));
            Assert.True(scaled.Pixels.Height > scaled.Pixels.Width);
            Assert.True(VectorMath.Cosine(fullEmbedding, scaledEmbedding) >= 0.99f);
        }
    }

    [Fact]
    public void Decode_SmallJpeg_IsDecodedAtFullSizeExactlyAsWithoutScaling()
    {
        var jpeg = Photo(400, 300, 3); // halving would go under 224
        var (full, fullEmbedding) = Embed(jpeg, Full);
        var (scaled, scaledEmbedding) = Embed(jpeg, Scaled);
        using (full)
        using (scaled)
        {
            Assert.Equal((400, 300), (scaled.Pixels.Width, scaled.Pixels.Height));
            Assert.Equal(fullEmbedding, scaledEmbedding);
        }
    }

    [Fact]
    public void Decode_DamagedJpeg_GetsTheSameOutcomeAsAFullDecode()
    {
        var jpeg = Photo(1600, 1200, 5);
        foreach (var cut in new[] { 200, jpeg.Length / 2 })
        {
            var damaged = jpeg[..cut];
            var full = new SafeImageDecoder(Full).Decode(damaged);
            var scaled = new SafeImageDecoder(Scaled).Decode(damaged);
            Assert.Equal(full.Succeeded, scaled.Succeeded);
            Assert.Equal(full.Failure?.Reason, scaled.Failure?.Reason);
            full.Image?.Dispose();
            scaled.Image?.Dispose();
        }
    }

    public void Dispose() => _model.Dispose();
}
