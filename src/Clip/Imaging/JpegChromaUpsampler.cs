using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// Re-does the chroma upsampling of a subsampled (4:2:0 or 4:2:2) JPEG the way libjpeg does by default
/// ("fancy", triangular) after ImageSharp 2.1 replicated each chroma sample. CLIP's reference (Pillow on
/// libjpeg-turbo) sees the smooth version; left as decoded, photos differ by about 1.5 levels per pixel,
/// over the parity budget. Y, Cb, Cr are recovered from ImageSharp's RGB (exact up to rounding), each
/// chroma sample is the mean of the block it was replicated over, then libjpeg's h2v2/h2v1 fancy
/// upsampler and fixed-point YCbCr->RGB tables (jdsample.c, jdcolor.c) rebuild the pixels.
/// </summary>
internal static class JpegChromaUpsampler
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
        var y = new byte[width * height];
        var cb = new double[width * height];
        var cr = new double[width * height];
        image.ProcessPixelRows(rows =>
        {
            for (var row = 0; row < height; row++)
            {
                var span = rows.GetRowSpan(row);
                for (var x = 0; x < width; x++)
                {
                    var p = span[x];
                    var i = (row * width) + x;
                    y[i] = ClampByte((0.299 * p.R) + (0.587 * p.G) + (0.114 * p.B));
                    cb[i] = 128 - (0.168735892 * p.R) - (0.331264108 * p.G) + (0.5 * p.B);
                    cr[i] = 128 + (0.5 * p.R) - (0.418687589 * p.G) - (0.081312411 * p.B);
                }
            }
        });

        var cw = (width + h - 1) / h;
        var ch = (height + v - 1) / v;
        var cbUp = Upsample(Downsample(cb, width, height, h, v, cw, ch), cw, ch, h, v, width, height);
        var crUp = Upsample(Downsample(cr, width, height, h, v, cw, ch), cw, ch, h, v, width, height);

        image.ProcessPixelRows(rows =>
        {
            for (var row = 0; row < height; row++)
            {
                var span = rows.GetRowSpan(row);
                for (var x = 0; x < width; x++)
                {
                    var i = (row * width) + x;
                    var (r, g, b) = YccToRgb(y[i], cbUp[i], crUp[i]);
                    span[x] = new Rgba32(r, g, b, span[x].A);
                }
            }
        });
    }

    private static byte[] Downsample(double[] plane, int width, int height, int h, int v, int cw, int ch)
    {
        var result = new byte[cw * ch];
        for (var j = 0; j < ch; j++)
        {
            for (var i = 0; i < cw; i++)
            {
                double sum = 0;
                var n = 0;
                for (var dy = 0; dy < v && (j * v) + dy < height; dy++)
                {
                    for (var dx = 0; dx < h && (i * h) + dx < width; dx++)
                    {
                        sum += plane[(((j * v) + dy) * width) + (i * h) + dx];
                        n++;
                    }
                }

                result[(j * cw) + i] = ClampByte(sum / n);
            }
        }

        return result;
    }

    private static byte[] Upsample(byte[] plane, int cw, int ch, int h, int v, int width, int height)
    {
        var result = new byte[width * height];
        var outRow = new byte[cw * 2];
        for (var j = 0; j < ch; j++)
        {
            for (var k = 0; k < v; k++)
            {
                var outY = (j * v) + k;
                if (outY >= height)
                {
                    break;
                }

                if (v == 2)
                {
                    // Nearest input row weighs 3, the next nearest (above for the upper output row) 1; edges replicate.
                    var far = Math.Clamp(k == 0 ? j - 1 : j + 1, 0, ch - 1);
                    FancyRow2x2(plane.AsSpan(j * cw, cw), plane.AsSpan(far * cw, cw), outRow);
                }
                else
                {
                    FancyRow2x1(plane.AsSpan(j * cw, cw), outRow);
                }

                outRow.AsSpan(0, width).CopyTo(result.AsSpan(outY * width, width));
            }
        }

        return result;
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
    private static (byte R, byte G, byte B) YccToRgb(int y, int cb, int cr)
    {
        var x = cr - 128;
        var z = cb - 128;
        var r = y + ((Fix(1.40200) * x) + OneHalf >> ScaleBits);
        var g = y + (((-Fix(0.34414) * z) + (-Fix(0.71414) * x) + OneHalf) >> ScaleBits);
        var b = y + ((Fix(1.77200) * z) + OneHalf >> ScaleBits);
        return ((byte)Math.Clamp(r, 0, 255), (byte)Math.Clamp(g, 0, 255), (byte)Math.Clamp(b, 0, 255));
    }

    private static int Fix(double x) => (int)((x * (1L << ScaleBits)) + 0.5);

    private static byte ClampByte(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
