using System.Buffers;
using System.Runtime.InteropServices;
using ClipSearch.Clip.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// Pillow's 8-bit resampling (libImaging/Resample.c), reproduced to the rounding: Keys cubic with a = -0.5
/// (BICUBIC) or the triangle filter (BILINEAR), support widened by the scale when shrinking (antialiasing), coefficients in
/// 22-bit fixed point, horizontal pass then vertical with 8-bit clipping in between. CLIP models were
/// trained on exactly this; a float resampler (ImageSharp's) drifts by a level or two per pixel.
/// Only the cropped window of the resized image is computed (each output pixel is independent), straight from the
/// image's RGBA rows: all four channels go through the filter together, in 32-bit lanes (the sums are exact integers,
/// so any order and any vector width give Pillow's bytes).
/// </summary>
internal static partial class PillowResampler
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>
    /// Resizes <paramref name="image"/> (premultiplied by its alpha first when <paramref name="premultiply"/>, as Pillow
    /// does for RGBA) to <paramref name="newWidth"/> x <paramref name="newHeight"/> and writes the window at
    /// (<paramref name="left"/>, <paramref name="top"/>) of <paramref name="cropWidth"/> x <paramref name="cropHeight"/>
    /// into <paramref name="window"/> as RGBA bytes.
    /// </summary>
    public static void ResizeWindow(Image<Rgba32> image, bool premultiply, int newWidth, int newHeight, int left, int top,
        int cropWidth, int cropHeight, Resample filter, Span<byte> window, SimdWidth simd)
    {
        var (width, height) = (image.Width, image.Height);
        var x = Coefficients(width, newWidth, left, cropWidth, filter);
        var y = Coefficients(height, newHeight, top, cropHeight, filter);

        // Source rows the vertical pass reads.
        var firstRow = y.Bounds[0];
        var lastRow = 0;
        for (var i = 0; i < cropHeight; i++)
        {
            lastRow = Math.Max(lastRow, y.Bounds[2 * i] + y.Bounds[(2 * i) + 1]);
        }

        var stride = cropWidth * 4;
        var temp = ArrayPool<byte>.Shared.Rent((lastRow - firstRow) * stride);
        var scratch = premultiply ? ArrayPool<byte>.Shared.Rent(width * 4) : null;
        try
        {
            image.ProcessPixelRows(rows =>
            {
                for (var row = firstRow; row < lastRow; row++)
                {
                    ReadOnlySpan<byte> pixels = MemoryMarshal.AsBytes(rows.GetRowSpan(row));
                    if (scratch is not null)
                    {
                        Premultiply(pixels, scratch);
                        pixels = scratch.AsSpan(0, width * 4);
                    }

                    var output = temp.AsSpan((row - firstRow) * stride, stride);
                    if (newWidth != width)
                    {
                        Horizontal(pixels, output, x, simd);
                    }
                    else
                    {
                        // No horizontal resampling (Pillow skips the pass): take the crop columns.
                        pixels.Slice(left * 4, stride).CopyTo(output);
                    }
                }
            });

            if (newHeight == height)
            {
                for (var yy = 0; yy < cropHeight; yy++)
                {
                    temp.AsSpan((top + yy - firstRow) * stride, stride).CopyTo(window.Slice(yy * stride, stride));
                }
            }
            else
            {
                Vertical(temp, stride, firstRow, window, y, cropHeight, simd);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(temp);
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }

    /// <summary>Pillow RGBA -> RGBa before resampling: each colour times alpha, MULDIV255.</summary>
    private static void Premultiply(ReadOnlySpan<byte> rgba, Span<byte> output)
    {
        for (var i = 0; i < rgba.Length; i += 4)
        {
            var a = rgba[i + 3];
            output[i] = MulDiv255(rgba[i], a);
            output[i + 1] = MulDiv255(rgba[i + 1], a);
            output[i + 2] = MulDiv255(rgba[i + 2], a);
            output[i + 3] = a;
        }
    }

    private static byte MulDiv255(byte a, byte b)
    {
        var tmp = (a * b) + 128;
        return (byte)(((tmp >> 8) + tmp) >> 8);
    }

    /// <summary>Per output position: first source index and tap count (Bounds, two ints each), and KSize coefficients.</summary>
    internal sealed record Filter(int[] Bounds, int[] Coeffs, int KSize);

    /// <summary>Pillow's precompute_coeffs + normalize_coeffs_8bpc for output positions [first, first+count).</summary>
    internal static Filter Coefficients(int inSize, int outSize, int first, int count, Resample filter)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = (filter == Resample.Bilinear ? 1.0 : 2.0) * filterScale;
        var kSize = ((int)Math.Ceiling(support) * 2) + 1;
        var bounds = new int[count * 2];
        var coeffs = new int[count * kSize];
        var weights = new double[kSize];
        for (var i = 0; i < count; i++)
        {
            var xx = first + i;
            var center = (xx + 0.5) * scale;
            var ss = 1.0 / filterScale;
            var xmin = Math.Max((int)(center - support + 0.5), 0);
            var xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            var ww = 0.0;
            for (var x = 0; x < xmax; x++)
            {
                var t = (x + xmin - center + 0.5) * ss;
                var w = filter == Resample.Bilinear ? Triangle(t) : Bicubic(t);
                weights[x] = w;
                ww += w;
            }

            for (var x = 0; x < xmax; x++)
            {
                var w = ww != 0.0 ? weights[x] / ww : weights[x];
                coeffs[(i * kSize) + x] = w < 0 ? (int)(-0.5 + (w * (1 << PrecisionBits))) : (int)(0.5 + (w * (1 << PrecisionBits)));
            }

            bounds[2 * i] = xmin;
            bounds[(2 * i) + 1] = xmax;
        }

        return new Filter(bounds, coeffs, kSize);
    }

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static double Bicubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0)
        {
            return ((((a + 2.0) * x) - (a + 3.0)) * x * x) + 1;
        }

        return x < 2.0 ? ((((x - 5) * x) + 8) * x - 4) * a : 0.0;
    }
}
