using System.Buffers;
using ClipSearch.Clip.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// A model's image transform as torchvision/Pillow compute it: the shorter side to the target size (torchvision's
/// truncated new size) or both sides to it (squash), with Pillow's bicubic or bilinear resampling, centre crop
/// (offsets rounded half to even), RGB, scale to [0,1], normalise by mean/std unless the model says not to, CHW
/// float32. Images with transparency are resized premultiplied, as Pillow does, so fully transparent pixels come out
/// black. Thread-safe.
/// </summary>
public sealed class ClipImagePreprocessor(PreprocessorConfig config)
{
    // The model input of each 8-bit level, per channel: torchvision's float32 operations (ToTensor divides by 255,
    // Normalize subtracts and divides), computed once.
    private readonly float[] _levels = Levels(config);

    public PreprocessorConfig Config { get; } = config;

    /// <summary>Side of the square model input.</summary>
    public int Size => Config.CropSize;

    /// <summary>Number of floats one image occupies: 3 x Size x Size.</summary>
    public int TensorLength => 3 * Size * Size;

    public float[] Preprocess(DecodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var tensor = new float[TensorLength];
        Preprocess(image.Pixels, image.HasAlpha, tensor);
        return tensor;
    }

    /// <summary>Writes the model input for <paramref name="pixels"/> into <paramref name="destination"/> (CHW, <see cref="TensorLength"/> floats).</summary>
    public void Preprocess(Image<Rgba32> pixels, bool hasAlpha, Span<float> destination) => Preprocess(pixels, hasAlpha, destination, Simd.Best);

    internal void Preprocess(Image<Rgba32> pixels, bool hasAlpha, Span<float> destination, SimdWidth simd)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (destination.Length < TensorLength)
        {
            throw new ArgumentException($"Destination holds {destination.Length} floats; {TensorLength} are needed.", nameof(destination));
        }

        var (newWidth, newHeight) = Config.Mode == ResizeMode.Squash
            ? (Config.ResizeShortestEdge, Config.ResizeShortestEdge)
            : ResizedSize(pixels.Width, pixels.Height, Config.ResizeShortestEdge);
        var crop = Size;
        var left = (int)Math.Round((newWidth - crop) / 2.0, MidpointRounding.ToEven);
        var top = (int)Math.Round((newHeight - crop) / 2.0, MidpointRounding.ToEven);
        var plane = crop * crop;
        var window = ArrayPool<byte>.Shared.Rent(plane * 4);
        try
        {
            PillowResampler.ResizeWindow(pixels, hasAlpha, newWidth, newHeight, left, top, crop, crop, Config.Resample, window, simd);
            var levels = _levels.AsSpan();
            var red = levels[..256];
            var green = levels[256..512];
            var blue = levels[512..];
            var redOut = destination[..plane];
            var greenOut = destination.Slice(plane, plane);
            var blueOut = destination.Slice(2 * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                var p = i * 4;
                byte r = window[p], g = window[p + 1], b = window[p + 2];
                if (hasAlpha)
                {
                    (r, g, b) = Unpremultiply(r, g, b, window[p + 3]);
                }

                redOut[i] = red[r];
                greenOut[i] = green[g];
                blueOut[i] = blue[b];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    private static float[] Levels(PreprocessorConfig config)
    {
        var levels = new float[3 * 256];
        for (var c = 0; c < 3; c++)
        {
            var scale = config.Normalize ? config.Std[c] : 1f;
            var shift = config.Normalize ? config.Mean[c] : 0f;
            for (var v = 0; v < 256; v++)
            {
                levels[(c * 256) + v] = ((v / 255f) - shift) / scale;
            }
        }

        return levels;
    }

    /// <summary>torchvision's Resize(int) size: the shorter side becomes <paramref name="target"/>, the longer side is truncated.</summary>
    internal static (int Width, int Height) ResizedSize(int width, int height, int target)
    {
        var (shortSide, longSide) = width <= height ? (width, height) : (height, width);
        var newLong = (int)((double)target * longSide / shortSide);
        return width <= height ? (target, newLong) : (newLong, target);
    }

    // Pillow RGBa -> RGBA: integer division by alpha, clipped; alpha 0 and 255 left as they are.
    private static (byte R, byte G, byte B) Unpremultiply(byte r, byte g, byte b, byte a) => a is 0 or 255
        ? (r, g, b)
        : ((byte)Math.Min(255, 255 * r / a), (byte)Math.Min(255, 255 * g / a), (byte)Math.Min(255, 255 * b / a));
}
