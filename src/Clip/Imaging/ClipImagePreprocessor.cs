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
    public void Preprocess(Image<Rgba32> pixels, bool hasAlpha, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (destination.Length < TensorLength)
        {
            throw new ArgumentException($"Destination holds {destination.Length} floats; {TensorLength} are needed.", nameof(destination));
        }

        var (width, height) = (pixels.Width, pixels.Height);
        var channels = hasAlpha ? 4 : 3;
        var src = Interleave(pixels, channels);

        var (newWidth, newHeight) = Config.Mode == ResizeMode.Squash
            ? (Config.ResizeShortestEdge, Config.ResizeShortestEdge)
            : ResizedSize(width, height, Config.ResizeShortestEdge);
        var crop = Size;
        var left = (int)Math.Round((newWidth - crop) / 2.0, MidpointRounding.ToEven);
        var top = (int)Math.Round((newHeight - crop) / 2.0, MidpointRounding.ToEven);
        var window = PillowResampler.ResizeWindow(src, width, height, channels, newWidth, newHeight, left, top, crop, crop, Config.Resample);

        var plane = crop * crop;
        Span<float> scale = stackalloc float[3];
        Span<float> shift = stackalloc float[3];
        for (var c = 0; c < 3; c++)
        {
            scale[c] = Config.Normalize ? Config.Std[c] : 1f;
            shift[c] = Config.Normalize ? Config.Mean[c] : 0f;
        }

        for (var i = 0; i < plane; i++)
        {
            var p = i * channels;
            byte r = window[p], g = window[p + 1], b = window[p + 2];
            if (hasAlpha)
            {
                (r, g, b) = Unpremultiply(r, g, b, window[p + 3]);
            }

            // Same float32 operations as torchvision: ToTensor divides by 255, Normalize subtracts and divides.
            destination[i] = ((r / 255f) - shift[0]) / scale[0];
            destination[plane + i] = ((g / 255f) - shift[1]) / scale[1];
            destination[(2 * plane) + i] = ((b / 255f) - shift[2]) / scale[2];
        }
    }

    /// <summary>torchvision's Resize(int) size: the shorter side becomes <paramref name="target"/>, the longer side is truncated.</summary>
    internal static (int Width, int Height) ResizedSize(int width, int height, int target)
    {
        var (shortSide, longSide) = width <= height ? (width, height) : (height, width);
        var newLong = (int)((double)target * longSide / shortSide);
        return width <= height ? (target, newLong) : (newLong, target);
    }

    private static byte[] Interleave(Image<Rgba32> pixels, int channels)
    {
        var data = new byte[pixels.Width * pixels.Height * channels];
        pixels.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var o = y * rows.Width * channels;
                for (var x = 0; x < row.Length; x++, o += channels)
                {
                    var p = row[x];
                    if (channels == 4)
                    {
                        // Pillow RGBA -> RGBa (premultiplied) before resampling: MULDIV255.
                        data[o] = MulDiv255(p.R, p.A);
                        data[o + 1] = MulDiv255(p.G, p.A);
                        data[o + 2] = MulDiv255(p.B, p.A);
                        data[o + 3] = p.A;
                    }
                    else
                    {
                        data[o] = p.R;
                        data[o + 1] = p.G;
                        data[o + 2] = p.B;
                    }
                }
            }
        });
        return data;
    }

    private static byte MulDiv255(byte a, byte b)
    {
        var tmp = (a * b) + 128;
        return (byte)(((tmp >> 8) + tmp) >> 8);
    }

    // Pillow RGBa -> RGBA: integer division by alpha, clipped; alpha 0 and 255 left as they are.
    private static (byte R, byte G, byte B) Unpremultiply(byte r, byte g, byte b, byte a) => a is 0 or 255
        ? (r, g, b)
        : ((byte)Math.Min(255, 255 * r / a), (byte)Math.Min(255, 255 * g / a), (byte)Math.Min(255, 255 * b / a));
}
