using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Models;

namespace ClipSearch.Clip.Tests.Imaging.Exact;

/// <summary>
/// The exact transform written the plain way (one channel, one tap, one pixel at a time, as the product was before
/// it was vectorised): the yardstick the vector kernels must equal byte for byte. The filter coefficients are the
/// product's own (their values are checked against Pillow's outputs by the reference tests).
/// </summary>
internal static class ScalarPreprocess
{
    private const int PrecisionBits = 22;

    /// <summary>The model input for interleaved RGBA pixels, as <see cref="ClipImagePreprocessor"/> defines it.</summary>
    public static float[] Tensor(byte[] rgba, int width, int height, bool hasAlpha, PreprocessorConfig config)
    {
        var channels = hasAlpha ? 4 : 3;
        var src = new byte[width * height * channels];
        for (int i = 0, o = 0; i < rgba.Length; i += 4, o += channels)
        {
            var a = rgba[i + 3];
            for (var c = 0; c < 3; c++)
            {
                src[o + c] = hasAlpha ? MulDiv255(rgba[i + c], a) : rgba[i + c];
            }

            if (hasAlpha)
            {
                src[o + 3] = a;
            }
        }

        var (newWidth, newHeight) = config.Mode == ResizeMode.Squash
            ? (config.ResizeShortestEdge, config.ResizeShortestEdge)
            : ClipImagePreprocessor.ResizedSize(width, height, config.ResizeShortestEdge);
        var crop = config.CropSize;
        var left = (int)Math.Round((newWidth - crop) / 2.0, MidpointRounding.ToEven);
        var top = (int)Math.Round((newHeight - crop) / 2.0, MidpointRounding.ToEven);
        var window = Resize(src, width, height, channels, newWidth, newHeight, left, top, crop, crop, config.Resample);
        var plane = crop * crop;
        var tensor = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                int v = window[(i * channels) + c];
                var a = hasAlpha ? window[(i * channels) + 3] : 255;
                if (a is not (0 or 255))
                {
                    v = Math.Min(255, 255 * v / a);
                }

                var scale = config.Normalize ? config.Std[c] : 1f;
                var shift = config.Normalize ? config.Mean[c] : 0f;
                tensor[(c * plane) + i] = (((byte)v / 255f) - shift) / scale;
            }
        }

        return tensor;
    }

    /// <summary>Pillow's two-pass resample of the window, interleaved <paramref name="channels"/> bytes per pixel.</summary>
    public static byte[] Resize(byte[] src, int width, int height, int channels, int newWidth, int newHeight, int left, int top, int cropWidth,
        int cropHeight, Resample filter)
    {
        var xf = PillowResampler.Coefficients(width, newWidth, left, cropWidth, filter);
        var yf = PillowResampler.Coefficients(height, newHeight, top, cropHeight, filter);
        var firstRow = yf.Bounds[0];
        var lastRow = Enumerable.Range(0, cropHeight).Max(i => yf.Bounds[2 * i] + yf.Bounds[(2 * i) + 1]);
        var temp = new byte[(lastRow - firstRow) * cropWidth * channels];
        for (var y = firstRow; y < lastRow; y++)
        {
            for (var xx = 0; xx < cropWidth; xx++)
            {
                for (var c = 0; c < channels; c++)
                {
                    byte value;
                    if (newWidth == width)
                    {
                        value = src[(((y * width) + left + xx) * channels) + c];
                    }
                    else
                    {
                        var ss = 1 << (PrecisionBits - 1);
                        for (var x = 0; x < xf.Bounds[(2 * xx) + 1]; x++)
                        {
                            ss += src[(((y * width) + xf.Bounds[2 * xx] + x) * channels) + c] * xf.Coeffs[(xx * xf.KSize) + x];
                        }

                        value = Clip8(ss);
                    }

                    temp[((((y - firstRow) * cropWidth) + xx) * channels) + c] = value;
                }
            }
        }

        var output = new byte[cropWidth * cropHeight * channels];
        for (var yy = 0; yy < cropHeight; yy++)
        {
            for (var i = 0; i < cropWidth * channels; i++)
            {
                byte value;
                if (newHeight == height)
                {
                    value = temp[((top + yy - firstRow) * cropWidth * channels) + i];
                }
                else
                {
                    var ss = 1 << (PrecisionBits - 1);
                    for (var y = 0; y < yf.Bounds[(2 * yy) + 1]; y++)
                    {
                        ss += temp[((yf.Bounds[2 * yy] - firstRow + y) * cropWidth * channels) + i] * yf.Coeffs[(yy * yf.KSize) + y];
                    }

                    value = Clip8(ss);
                }

                output[(yy * cropWidth * channels) + i] = value;
            }
        }

        return output;
    }

    private static byte Clip8(int value) => (byte)Math.Clamp(value >> PrecisionBits, 0, 255);

    private static byte MulDiv255(byte a, byte b)
    {
        var tmp = (a * b) + 128;
        return (byte)(((tmp >> 8) + tmp) >> 8);
    }
}
