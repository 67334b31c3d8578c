using ClipSearch.Clip.Models;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// Pillow's 8-bit resampling (libImaging/Resample.c), reproduced to the rounding: Keys cubic with a = -0.5
/// (BICUBIC) or the triangle filter (BILINEAR), support widened by the scale when shrinking (antialiasing), coefficients in
/// 22-bit fixed point, horizontal pass then vertical with 8-bit clipping in between. CLIP models were
/// trained on exactly this; a float resampler (ImageSharp's) drifts by a level or two per pixel.
/// Only the cropped window of the resized image is computed (each output pixel is independent).
/// </summary>
internal static class PillowResampler
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>
    /// Resizes interleaved 8-bit pixels (<paramref name="channels"/> per pixel) from <paramref name="width"/> x
    /// <paramref name="height"/> to <paramref name="newWidth"/> x <paramref name="newHeight"/> and returns the window
    /// at (<paramref name="left"/>, <paramref name="top"/>) of <paramref name="cropWidth"/> x <paramref name="cropHeight"/>.
    /// </summary>
    public static byte[] ResizeWindow(byte[] src, int width, int height, int channels, int newWidth, int newHeight,
        int left, int top, int cropWidth, int cropHeight, Resample filter = Resample.Bicubic)
    {
        var (xBounds, xCoeffs, xK) = Coefficients(width, newWidth, left, cropWidth, filter);
        var (yBounds, yCoeffs, yK) = Coefficients(height, newHeight, top, cropHeight, filter);

        // Source rows the vertical pass reads.
        var firstRow = yBounds[0];
        var lastRow = 0;
        for (var i = 0; i < cropHeight; i++)
        {
            lastRow = Math.Max(lastRow, yBounds[2 * i] + yBounds[(2 * i) + 1]);
        }

        byte[] temp;
        int tempWidth;
        if (newWidth != width)
        {
            tempWidth = cropWidth;
            temp = new byte[(lastRow - firstRow) * tempWidth * channels];
            for (var y = firstRow; y < lastRow; y++)
            {
                var inRow = y * width * channels;
                var outRow = (y - firstRow) * tempWidth * channels;
                for (var xx = 0; xx < cropWidth; xx++)
                {
                    var xmin = xBounds[2 * xx];
                    var xmax = xBounds[(2 * xx) + 1];
                    var k = xx * xK;
                    for (var c = 0; c < channels; c++)
                    {
                        var ss = 1 << (PrecisionBits - 1);
                        for (var x = 0; x < xmax; x++)
                        {
                            ss += src[inRow + ((x + xmin) * channels) + c] * xCoeffs[k + x];
                        }

                        temp[outRow + (xx * channels) + c] = Clip8(ss);
                    }
                }
            }
        }
        else
        {
            // No horizontal resampling (Pillow skips the pass): take the crop columns of the needed rows.
            tempWidth = cropWidth;
            temp = new byte[(lastRow - firstRow) * tempWidth * channels];
            for (var y = firstRow; y < lastRow; y++)
            {
                Array.Copy(src, ((y * width) + left) * channels, temp, (y - firstRow) * tempWidth * channels, tempWidth * channels);
            }
        }

        var output = new byte[cropWidth * cropHeight * channels];
        if (newHeight == height)
        {
            for (var yy = 0; yy < cropHeight; yy++)
            {
                Array.Copy(temp, (top + yy - firstRow) * tempWidth * channels, output, yy * cropWidth * channels, cropWidth * channels);
            }

            return output;
        }

        for (var yy = 0; yy < cropHeight; yy++)
        {
            var ymin = yBounds[2 * yy] - firstRow;
            var ymax = yBounds[(2 * yy) + 1];
            var k = yy * yK;
            for (var xx = 0; xx < cropWidth * channels; xx++)
            {
                var ss = 1 << (PrecisionBits - 1);
                for (var y = 0; y < ymax; y++)
                {
                    ss += temp[((y + ymin) * tempWidth * channels) + xx] * yCoeffs[k + y];
                }

                output[(yy * cropWidth * channels) + xx] = Clip8(ss);
            }
        }

        return output;
    }

    private static byte Clip8(int value) => value >= (1 << PrecisionBits << 8) ? (byte)255 : value <= 0 ? (byte)0 : (byte)(value >> PrecisionBits);

    /// <summary>Pillow's precompute_coeffs + normalize_coeffs_8bpc for output positions [first, first+count).</summary>
    private static (int[] Bounds, int[] Coeffs, int KSize) Coefficients(int inSize, int outSize, int first, int count, Resample filter)
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

        return (bounds, coeffs, kSize);
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
