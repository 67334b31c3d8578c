using System.Buffers;
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
/// The kernels (vectorised, <see cref="SimdWidth"/>) give the same bytes as the plain arithmetic at every width:
/// the colour sums are taken in the same double operations and order, the rest is integer arithmetic.
/// </summary>
internal static partial class JpegChromaUpsampler
{
    private const int ScaleBits = 16;
    private const int OneHalf = 1 << (ScaleBits - 1);

    public static void Apply(Image<Rgba32> image, JpegColorType? colorType) => Apply(image, colorType, Simd.Best);

    internal static void Apply(Image<Rgba32> image, JpegColorType? colorType, SimdWidth simd)
    {
        // Horizontal subsampling is 2 in both; v is the vertical one.
        var v = colorType switch
        {
            JpegColorType.YCbCrRatio420 => 2,
            JpegColorType.YCbCrRatio422 => 1,
            _ => 0,
        };
        if (v == 0)
        {
            return;
        }

        var width = image.Width;
        var height = image.Height;
        var cw = (width + 1) / 2;
        var ch = (height + v - 1) / v;
        // Y of the last two block rows only: a block row is converted back to RGB as soon as the means of the block
        // row below it are known, while its pixels are still in cache.
        var y = ArrayPool<byte>.Shared.Rent(2 * v * width);
        var cb = ArrayPool<byte>.Shared.Rent(cw * ch);
        var cr = ArrayPool<byte>.Shared.Rent(cw * ch);
        var cbSum = ArrayPool<double>.Shared.Rent(cw);
        var crSum = ArrayPool<double>.Shared.Rent(cw);
        var cbRow = ArrayPool<byte>.Shared.Rent(cw * 2);
        var crRow = ArrayPool<byte>.Shared.Rent(cw * 2);
        try
        {
            image.ProcessPixelRows(rows =>
            {
                for (var j = 0; j <= ch; j++)
                {
                    if (j < ch)
                    {
                        // Y per pixel; Cb and Cr summed over the row of subsampling blocks (in the order the block mean
                        // has always been taken), then the means of that block row.
                        Array.Clear(cbSum, 0, cw);
                        Array.Clear(crSum, 0, cw);
                        var rowsIn = Math.Min(v, height - (j * v));
                        for (var row = j * v; row < (j * v) + rowsIn; row++)
                        {
                            Split(rows.GetRowSpan(row), y.AsSpan(row % (2 * v) * width, width), cbSum, crSum, simd);
                        }

                        Means(cbSum.AsSpan(0, cw), rowsIn, width, cb.AsSpan(j * cw, cw), simd);
                        Means(crSum.AsSpan(0, cw), rowsIn, width, cr.AsSpan(j * cw, cw), simd);
                    }

                    // The block row above: each output row's chroma upsampled as libjpeg does, then converted back to RGB.
                    for (var row = (j - 1) * v; j > 0 && row < Math.Min(j * v, height); row++)
                    {
                        UpsampleRow(cb, cw, ch, v, row, cbRow, simd);
                        UpsampleRow(cr, cw, ch, v, row, crRow, simd);
                        Combine(rows.GetRowSpan(row), y.AsSpan(row % (2 * v) * width, width), cbRow, crRow, simd);
                    }
                }
            });
        }
        finally
        {
            foreach (var bytes in (byte[][])[y, cb, cr, cbRow, crRow])
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }

            ArrayPool<double>.Shared.Return(cbSum);
            ArrayPool<double>.Shared.Return(crSum);
        }
    }

    /// <summary>One output row of the upsampled plane (libjpeg-turbo's fancy upsampling).</summary>
    private static void UpsampleRow(byte[] plane, int cw, int ch, int v, int row, byte[] output, SimdWidth simd)
    {
        var j = row / v;
        var near = plane.AsSpan(j * cw, cw);
        if (v == 2)
        {
            // Nearest input row weighs 3, the next nearest (above for the upper output row) 1; edges replicate.
            var far = Math.Clamp(row % 2 == 0 ? j - 1 : j + 1, 0, ch - 1);
            Fancy(near, plane.AsSpan(far * cw, cw), output, simd);
        }
        else
        {
            Fancy(near, default, output, simd);
        }
    }

    /// <summary>
    /// libjpeg-turbo jdsample.c h2v2_fancy_upsample (with <paramref name="far"/>) or h2v1_fancy_upsample (without), one
    /// output row: with s the column sum (3 near + far, or the sample), output 2i is (3 s[i] + s[i-1] + 8) >> 4 and 2i+1
    /// is (3 s[i] + s[i+1] + 7) >> 4 (biases 1 and 2, shift 2, without far), the sums at the ends replicated.
    /// </summary>
    private static void Fancy(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, Span<byte> output, SimdWidth simd)
    {
        FancyScalar(near, far, output, 0, 1);
        FancyScalar(near, far, output, simd == SimdWidth.Scalar ? 1 : FancyInterior(near, far, output), near.Length);
    }

    /// <summary>Samples [<paramref name="from"/>, <paramref name="to"/>) of <see cref="Fancy"/>, one at a time.</summary>
    private static void FancyScalar(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, Span<byte> output, int from, int to)
    {
        var n = near.Length;
        for (var i = from; i < to; i++)
        {
            var (left, right) = (Math.Max(i - 1, 0), Math.Min(i + 1, n - 1));
            if (far.IsEmpty)
            {
                output[2 * i] = (byte)(((near[i] * 3) + near[left] + 1) >> 2);
                output[(2 * i) + 1] = (byte)(((near[i] * 3) + near[right] + 2) >> 2);
            }
            else
            {
                var s = ColumnSum(near, far, i);
                output[2 * i] = (byte)(((s * 3) + ColumnSum(near, far, left) + 8) >> 4);
                output[(2 * i) + 1] = (byte)(((s * 3) + ColumnSum(near, far, right) + 7) >> 4);
            }
        }
    }

    private static int ColumnSum(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, int i) => (near[i] * 3) + far[i];

    // libjpeg jdcolor.c ycc_rgb_convert with its 16-bit fixed-point tables.
    private static readonly int CrToR = Fix(1.40200);
    private static readonly int CbToG = -Fix(0.34414);
    private static readonly int CrToG = -Fix(0.71414);
    private static readonly int CbToB = Fix(1.77200);

    private static uint YccToRgb(int y, int cb, int cr, uint alpha)
    {
        var x = cr - 128;
        var z = cb - 128;
        var r = y + ((CrToR * x) + OneHalf >> ScaleBits);
        var g = y + ((CbToG * z) + (CrToG * x) + OneHalf >> ScaleBits);
        var b = y + ((CbToB * z) + OneHalf >> ScaleBits);
        return (uint)Math.Clamp(r, 0, 255) | ((uint)Math.Clamp(g, 0, 255) << 8) | ((uint)Math.Clamp(b, 0, 255) << 16) | alpha;
    }

    private static int Fix(double x) => (int)((x * (1L << ScaleBits)) + 0.5);

    private static byte ClampByte(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
