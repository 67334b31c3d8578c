using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Tests.Imaging.Exact;

/// <summary>
/// JpegChromaUpsampler as it was before it was vectorised (one pixel at a time, libjpeg's loops as written): the
/// yardstick the vector kernels must equal byte for byte.
/// </summary>
internal static class ScalarChromaUpsampling
{
    private const int ScaleBits = 16;
    private const int OneHalf = 1 << (ScaleBits - 1);

    public static void Apply(Image<Rgba32> image, JpegColorType? colorType)
    {
        var (h, v) = colorType switch
        {
            JpegColorType.YCbCrRatio420 => (2, 2),
            JpegColorType.YCbCrRatio422 => (2, 1),
            _ => (1, 1),
        };
        if (h == 1 && v == 1)
        {
            return;
        }

        var width = image.Width;
        var height = image.Height;
        var cw = (width + h - 1) / h;
        var ch = (height + v - 1) / v;
        var (hShift, vShift) = (h - 1, v - 1); // h and v are 1 or 2: shifts, not divisions, in the pixel loop

        // Pass 1: Y per pixel; Cb and Cr summed straight into their subsampling blocks (in the order the block
        // mean has always been taken), so no full-size chroma plane is ever allocated.
        var y = new byte[width * height];
        var cbSum = new double[cw * ch];
        var crSum = new double[cw * ch];
        image.ProcessPixelRows(rows =>
        {
            for (var row = 0; row < height; row++)
            {
                var span = rows.GetRowSpan(row);
                var yRow = y.AsSpan(row * width, width);
                var blockRow = (row >> vShift) * cw;
                for (var x = 0; x < width; x++)
                {
                    var p = span[x];
                    yRow[x] = ClampByte((0.299 * p.R) + (0.587 * p.G) + (0.114 * p.B));
                    var block = blockRow + (x >> hShift);
                    cbSum[block] += 128 - (0.168735892 * p.R) - (0.331264108 * p.G) + (0.5 * p.B);
                    crSum[block] += 128 + (0.5 * p.R) - (0.418687589 * p.G) - (0.081312411 * p.B);
                }
            }
        });

        var cb = Means(cbSum, width, height, h, v, cw, ch);
        var cr = Means(crSum, width, height, h, v, cw, ch);

        // Pass 2: each output row's chroma upsampled as libjpeg does, then converted back to RGB.
        var cbRow = new byte[cw * 2];
        var crRow = new byte[cw * 2];
        image.ProcessPixelRows(rows =>
        {
            for (var row = 0; row < height; row++)
            {
                UpsampleRow(cb, cw, ch, v, row, cbRow);
                UpsampleRow(cr, cw, ch, v, row, crRow);
                var span = rows.GetRowSpan(row);
                var yRow = y.AsSpan(row * width, width);
                for (var x = 0; x < width; x++)
                {
                    var (r, g, b) = YccToRgb(yRow[x], cbRow[x], crRow[x]);
                    span[x] = new Rgba32(r, g, b, span[x].A);
                }
            }
        });
    }

    /// <summary>Block sums to block means (edge blocks hold fewer pixels), rounded to bytes.</summary>
    private static byte[] Means(double[] sums, int width, int height, int h, int v, int cw, int ch)
    {
        var result = new byte[cw * ch];
        for (var j = 0; j < ch; j++)
        {
            var rowsIn = Math.Min(v, height - (j * v));
            for (var i = 0; i < cw; i++)
            {
                var n = rowsIn * Math.Min(h, width - (i * h));
                result[(j * cw) + i] = ClampByte(sums[(j * cw) + i] / n);
            }
        }

        return result;
    }

    /// <summary>One output row of the upsampled plane (libjpeg-turbo's fancy upsampling).</summary>
    private static void UpsampleRow(byte[] plane, int cw, int ch, int v, int row, byte[] output)
    {
        var j = row / v;
        if (v == 2)
        {
            // Nearest input row weighs 3, the next nearest (above for the upper output row) 1; edges replicate.
            var far = Math.Clamp(row % 2 == 0 ? j - 1 : j + 1, 0, ch - 1);
            FancyRow2x2(plane.AsSpan(j * cw, cw), plane.AsSpan(far * cw, cw), output);
        }
        else
        {
            FancyRow2x1(plane.AsSpan(j * cw, cw), output);
        }
    }

    // libjpeg-turbo jdsample.c h2v2_fancy_upsample, one output row.
    private static void FancyRow2x2(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, Span<byte> output)
    {
        var n = near.Length;
        var thisSum = ColumnSum(near, far, 0);
        var nextSum = ColumnSum(near, far, 1);
        output[0] = (byte)(((thisSum * 4) + 8) >> 4);
        output[1] = (byte)(((thisSum * 3) + nextSum + 7) >> 4);
        var lastSum = thisSum;
        thisSum = nextSum;
        var o = 2;
        for (var c = 2; c < n; c++)
        {
            nextSum = ColumnSum(near, far, c);
            output[o++] = (byte)(((thisSum * 3) + lastSum + 8) >> 4);
            output[o++] = (byte)(((thisSum * 3) + nextSum + 7) >> 4);
            lastSum = thisSum;
            thisSum = nextSum;
        }

        if (n > 1)
        {
            output[o++] = (byte)(((thisSum * 3) + lastSum + 8) >> 4);
            output[o] = (byte)(((thisSum * 4) + 7) >> 4);
        }
    }

    private static int ColumnSum(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, int i)
    {
        i = Math.Min(i, near.Length - 1);
        return (near[i] * 3) + far[i];
    }

    // libjpeg-turbo jdsample.c h2v1_fancy_upsample, one output row.
    private static void FancyRow2x1(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var n = input.Length;
        if (n == 1)
        {
            output[0] = output[1] = input[0];
            return;
        }

        output[0] = input[0];
        output[1] = (byte)(((input[0] * 3) + input[1] + 2) >> 2);
        var o = 2;
        for (var c = 1; c < n - 1; c++)
        {
            var value = input[c] * 3;
            output[o++] = (byte)((value + input[c - 1] + 1) >> 2);
            output[o++] = (byte)((value + input[c + 1] + 2) >> 2);
        }

        output[o++] = (byte)(((input[n - 1] * 3) + input[n - 2] + 1) >> 2);
        output[o] = input[n - 1];
    }

    // libjpeg jdcolor.c ycc_rgb_convert with its 16-bit fixed-point tables.
    private static readonly int CrToR = Fix(1.40200);
    private static readonly int CbToG = -Fix(0.34414);
    private static readonly int CrToG = -Fix(0.71414);
    private static readonly int CbToB = Fix(1.77200);

    private static (byte R, byte G, byte B) YccToRgb(int y, int cb, int cr)
    {
        var x = cr - 128;
        var z = cb - 128;
        var r = y + ((CrToR * x) + OneHalf >> ScaleBits);
        var g = y + ((CbToG * z) + (CrToG * x) + OneHalf >> ScaleBits);
        var b = y + ((CbToB * z) + OneHalf >> ScaleBits);
        return ((byte)Math.Clamp(r, 0, 255), (byte)Math.Clamp(g, 0, 255), (byte)Math.Clamp(b, 0, 255));
    }

    private static int Fix(double x) => (int)((x * (1L << ScaleBits)) + 0.5);

    private static byte ClampByte(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
