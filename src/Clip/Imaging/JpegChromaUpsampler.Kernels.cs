using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// The per-pixel work, vectorised: RGB to Y and the block sums of Cb and Cr (doubles, the scalar operations in the
/// scalar order: each block sum gets its even pixel then its odd one), block means, fancy upsampling (16-bit lanes)
/// and the fixed-point YCbCr to RGB (32-bit lanes). Each kernel returns where the scalar code takes over.
/// </summary>
internal static partial class JpegChromaUpsampler
{
    /// <summary>Y of each pixel of a row into <paramref name="y"/>; its Cb and Cr added to the sums of its block (x / 2).</summary>
    private static void Split(Span<Rgba32> pixels, Span<byte> y, double[] cbSum, double[] crSum, SimdWidth simd)
    {
        var x = simd switch
        {
            SimdWidth.Avx512 => Split512(pixels, y, cbSum, crSum),
            SimdWidth.Avx2 => Split256(pixels, y, cbSum, crSum),
            _ => 0,
        };
        for (; x < pixels.Length; x++)
        {
            var p = pixels[x];
            y[x] = ClampByte((0.299 * p.R) + (0.587 * p.G) + (0.114 * p.B));
            cbSum[x >> 1] += 128 - (0.168735892 * p.R) - (0.331264108 * p.G) + (0.5 * p.B);
            crSum[x >> 1] += 128 + (0.5 * p.R) - (0.418687589 * p.G) - (0.081312411 * p.B);
        }
    }

    private static int Split512(Span<Rgba32> pixels, Span<byte> y, double[] cbSum, double[] crSum)
    {
        ref var source = ref Unsafe.As<Rgba32, int>(ref MemoryMarshal.GetReference(pixels));
        var evenOdd = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
        var natural = Vector512.Create(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
        var x = 0;
        for (; x <= pixels.Length - 16; x += 16)
        {
            var p = Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref source, (nuint)x), evenOdd);
            var (r, g, b) = (p & Vector512.Create(0xFF), (p >>> 8) & Vector512.Create(0xFF), (p >>> 16) & Vector512.Create(0xFF));
            var (rE, gE, bE) = (Avx512F.ConvertToVector512Double(r.GetLower()), Avx512F.ConvertToVector512Double(g.GetLower()), Avx512F.ConvertToVector512Double(b.GetLower()));
            var (rO, gO, bO) = (Avx512F.ConvertToVector512Double(r.GetUpper()), Avx512F.ConvertToVector512Double(g.GetUpper()), Avx512F.ConvertToVector512Double(b.GetUpper()));
            var luma = Vector512.Create(Avx512F.ConvertToVector256Int32WithTruncation(Luma(rE, gE, bE)), Avx512F.ConvertToVector256Int32WithTruncation(Luma(rO, gO, bO)));
            Avx512F.ConvertToVector128Byte(Avx512F.PermuteVar16x32(luma, natural)).StoreUnsafe(ref y[x]);

            ref var cb = ref cbSum[x >> 1];
            (Vector512.LoadUnsafe(ref cb) + Chroma(rE, gE, bE, blue: true) + Chroma(rO, gO, bO, blue: true)).StoreUnsafe(ref cb);
            ref var cr = ref crSum[x >> 1];
            (Vector512.LoadUnsafe(ref cr) + Chroma(rE, gE, bE, blue: false) + Chroma(rO, gO, bO, blue: false)).StoreUnsafe(ref cr);
        }

        return x;
    }

    private static int Split256(Span<Rgba32> pixels, Span<byte> y, double[] cbSum, double[] crSum)
    {
        ref var source = ref Unsafe.As<Rgba32, int>(ref MemoryMarshal.GetReference(pixels));
        var evenOdd = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var x = 0;
        for (; x <= pixels.Length - 8; x += 8)
        {
            var p = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref source, (nuint)x), evenOdd);
            var (r, g, b) = (p & Vector256.Create(0xFF), (p >>> 8) & Vector256.Create(0xFF), (p >>> 16) & Vector256.Create(0xFF));
            var (rE, gE, bE) = (Avx.ConvertToVector256Double(r.GetLower()), Avx.ConvertToVector256Double(g.GetLower()), Avx.ConvertToVector256Double(b.GetLower()));
            var (rO, gO, bO) = (Avx.ConvertToVector256Double(r.GetUpper()), Avx.ConvertToVector256Double(g.GetUpper()), Avx.ConvertToVector256Double(b.GetUpper()));
            var (lumaE, lumaO) = (Avx.ConvertToVector128Int32WithTruncation(Luma(rE, gE, bE)), Avx.ConvertToVector128Int32WithTruncation(Luma(rO, gO, bO)));
            var words = Vector128.Narrow(Sse2.UnpackLow(lumaE, lumaO).AsUInt32(), Sse2.UnpackHigh(lumaE, lumaO).AsUInt32());
            Unsafe.WriteUnaligned(ref y[x], Vector128.Narrow(words, words).AsUInt64().ToScalar());

            ref var cb = ref cbSum[x >> 1];
            (Vector256.LoadUnsafe(ref cb) + Chroma(rE, gE, bE, blue: true) + Chroma(rO, gO, bO, blue: true)).StoreUnsafe(ref cb);
            ref var cr = ref crSum[x >> 1];
            (Vector256.LoadUnsafe(ref cr) + Chroma(rE, gE, bE, blue: false) + Chroma(rO, gO, bO, blue: false)).StoreUnsafe(ref cr);
        }

        return x;
    }

    // The scalar expressions of Split, operation for operation (C# adds and subtracts left to right).
    private static Vector512<double> Luma(Vector512<double> r, Vector512<double> g, Vector512<double> b) =>
        Vector512.Min(Vector512.Max(Vector512.Round((0.299 * r) + (0.587 * g) + (0.114 * b)), Vector512<double>.Zero), Vector512.Create(255.0));

    private static Vector256<double> Luma(Vector256<double> r, Vector256<double> g, Vector256<double> b) =>
        Vector256.Min(Vector256.Max(Vector256.Round((0.299 * r) + (0.587 * g) + (0.114 * b)), Vector256<double>.Zero), Vector256.Create(255.0));

    private static Vector512<double> Chroma(Vector512<double> r, Vector512<double> g, Vector512<double> b, bool blue) => blue
        ? Vector512.Create(128.0) - (0.168735892 * r) - (0.331264108 * g) + (0.5 * b)
        : Vector512.Create(128.0) + (0.5 * r) - (0.418687589 * g) - (0.081312411 * b);

    private static Vector256<double> Chroma(Vector256<double> r, Vector256<double> g, Vector256<double> b, bool blue) => blue
        ? Vector256.Create(128.0) - (0.168735892 * r) - (0.331264108 * g) + (0.5 * b)
        : Vector256.Create(128.0) + (0.5 * r) - (0.418687589 * g) - (0.081312411 * b);

    /// <summary>Block sums to block means (edge blocks hold fewer pixels), rounded to bytes.</summary>
    private static void Means(ReadOnlySpan<double> sums, int rowsIn, int width, Span<byte> output, SimdWidth simd)
    {
        var i = 0;
        if (simd != SimdWidth.Scalar)
        {
            // A full block holds 2 or 4 pixels: multiplying by the power-of-two reciprocal is the division, exactly.
            var scale = Vector256.Create(1.0 / (2 * rowsIn));
            for (; i <= (width / 2) - 4; i += 4)
            {
                var mean = Vector256.Min(Vector256.Max(Vector256.Round(Vector256.Create(sums.Slice(i, 4)) * scale), Vector256<double>.Zero), Vector256.Create(255.0));
                var ints = Avx.ConvertToVector128Int32WithTruncation(mean).AsUInt32();
                var words = Vector128.Narrow(ints, ints);
                Unsafe.WriteUnaligned(ref output[i], Vector128.Narrow(words, words).AsUInt32().ToScalar());
            }
        }

        for (; i < sums.Length; i++)
        {
            output[i] = ClampByte(sums[i] / (rowsIn * Math.Min(2, width - (2 * i))));
        }
    }

    /// <summary><see cref="Fancy"/> for the samples from 1 on, eight a step while all neighbours are inside; returns the first not done.</summary>
    private static int FancyInterior(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, Span<byte> output)
    {
        var n = near.Length;
        ref var a = ref MemoryMarshal.GetReference(near);
        ref var f = ref MemoryMarshal.GetReference(far);
        var i = 1;
        for (; i <= n - 9; i += 8)
        {
            Vector128<ushort> even, odd;
            if (far.IsEmpty)
            {
                var middle = Widen8(ref a, i) * 3;
                even = (middle + Widen8(ref a, i - 1) + Vector128.Create((ushort)1)) >>> 2;
                odd = (middle + Widen8(ref a, i + 1) + Vector128.Create((ushort)2)) >>> 2;
            }
            else
            {
                var middle = ((Widen8(ref a, i) * 3) + Widen8(ref f, i)) * 3;
                even = (middle + (Widen8(ref a, i - 1) * 3) + Widen8(ref f, i - 1) + Vector128.Create((ushort)8)) >>> 4;
                odd = (middle + (Widen8(ref a, i + 1) * 3) + Widen8(ref f, i + 1) + Vector128.Create((ushort)7)) >>> 4;
            }

            Vector128.Narrow(Sse2.UnpackLow(even, odd), Sse2.UnpackHigh(even, odd)).StoreUnsafe(ref output[2 * i]);
        }

        return i;
    }

    private static Vector128<ushort> Widen8(ref byte source, int offset) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, offset))).AsByte());

    /// <summary>Y with the row's upsampled Cb and Cr back to RGB, alpha kept.</summary>
    private static void Combine(Span<Rgba32> pixels, ReadOnlySpan<byte> y, byte[] cb, byte[] cr, SimdWidth simd)
    {
        var packed = MemoryMarshal.Cast<Rgba32, uint>(pixels);
        var x = 0;
        if (simd == SimdWidth.Avx512)
        {
            for (; x <= packed.Length - 16; x += 16)
            {
                var luma = Avx512F.ConvertToVector512Int32(Vector128.Create(y.Slice(x, 16)));
                var blue = Avx512F.ConvertToVector512Int32(Vector128.Create(cb.AsSpan(x, 16))) - Vector512.Create(128);
                var red = Avx512F.ConvertToVector512Int32(Vector128.Create(cr.AsSpan(x, 16))) - Vector512.Create(128);
                var r = Byte(luma + (((CrToR * red) + Vector512.Create(OneHalf)) >> ScaleBits));
                var g = Byte(luma + (((CbToG * blue) + (CrToG * red) + Vector512.Create(OneHalf)) >> ScaleBits));
                var b = Byte(luma + (((CbToB * blue) + Vector512.Create(OneHalf)) >> ScaleBits));
                var alpha = Vector512.Create(packed.Slice(x, 16)) & Vector512.Create(0xFF000000);
                (r.AsUInt32() | (g.AsUInt32() << 8) | (b.AsUInt32() << 16) | alpha).CopyTo(packed.Slice(x, 16));
            }
        }

        if (simd != SimdWidth.Scalar)
        {
            for (; x <= packed.Length - 8; x += 8)
            {
                var luma = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(in y[x])).AsByte());
                var blue = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref cb[x])).AsByte()) - Vector256.Create(128);
                var red = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref cr[x])).AsByte()) - Vector256.Create(128);
                var r = Byte(luma + (((CrToR * red) + Vector256.Create(OneHalf)) >> ScaleBits));
                var g = Byte(luma + (((CbToG * blue) + (CrToG * red) + Vector256.Create(OneHalf)) >> ScaleBits));
                var b = Byte(luma + (((CbToB * blue) + Vector256.Create(OneHalf)) >> ScaleBits));
                var alpha = Vector256.Create(packed.Slice(x, 8)) & Vector256.Create(0xFF000000);
                (r.AsUInt32() | (g.AsUInt32() << 8) | (b.AsUInt32() << 16) | alpha).CopyTo(packed.Slice(x, 8));
            }
        }

        for (; x < packed.Length; x++)
        {
            packed[x] = YccToRgb(y[x], cb[x], cr[x], packed[x] & 0xFF000000);
        }
    }

    private static Vector512<int> Byte(Vector512<int> value) => Vector512.Min(Vector512.Max(value, Vector512<int>.Zero), Vector512.Create(255));

    private static Vector256<int> Byte(Vector256<int> value) => Vector256.Min(Vector256.Max(value, Vector256<int>.Zero), Vector256.Create(255));
}
