using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ClipSearch.Clip.Imaging;

/// <summary>The two passes: RGBA pixels widened to 32-bit lanes, times the 22-bit coefficients, summed, clipped to 8 bits.</summary>
internal static partial class PillowResampler
{
    private const int Half = 1 << (PrecisionBits - 1);

    /// <summary>One row: each output pixel is the filter over its source pixels, the four channels in one vector.</summary>
    private static void Horizontal(ReadOnlySpan<byte> row, Span<byte> output, Filter filter, SimdWidth simd)
    {
        ref var pixels = ref MemoryMarshal.GetReference(row);
        ref var coeffs = ref MemoryMarshal.GetArrayDataReference(filter.Coeffs);
        var bounds = filter.Bounds;
        for (var xx = 0; xx < output.Length / 4; xx++)
        {
            ref var p = ref Unsafe.Add(ref pixels, bounds[2 * xx] * 4);
            ref var k = ref Unsafe.Add(ref coeffs, xx * filter.KSize);
            var taps = bounds[(2 * xx) + 1];
            if (simd == SimdWidth.Scalar)
            {
                for (var c = 0; c < 4; c++)
                {
                    var ss = Half;
                    for (var x = 0; x < taps; x++)
                    {
                        ss += Unsafe.Add(ref p, (x * 4) + c) * Unsafe.Add(ref k, x);
                    }

                    output[(xx * 4) + c] = Clip8(ss);
                }
            }
            else
            {
                Unsafe.WriteUnaligned(ref output[xx * 4], Clip8(HorizontalSum(ref p, ref k, taps, simd)).AsUInt32().ToScalar());
            }
        }
    }

    /// <summary>Σ pixel[x] * k[x] for the four channels of consecutive RGBA pixels: four taps a step, then two, then one.</summary>
    private static Vector128<int> HorizontalSum(ref byte p, ref int k, int taps, SimdWidth simd)
    {
        var sum = Vector128.Create(Half);
        var x = 0;
        if (simd == SimdWidth.Avx512 && taps >= 4)
        {
            var spread = Vector512.Create(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
            var acc = Vector512<int>.Zero;
            for (; x <= taps - 4; x += 4)
            {
                var pixels = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref p, (nuint)(x * 4)));
                acc += pixels * Avx512F.PermuteVar16x32(Vector128.LoadUnsafe(ref k, (nuint)x).ToVector256Unsafe().ToVector512Unsafe(), spread);
            }

            sum += (acc.GetLower().GetLower() + acc.GetLower().GetUpper()) + (acc.GetUpper().GetLower() + acc.GetUpper().GetUpper());
        }

        if (taps - x >= 2)
        {
            var spread = Vector256.Create(0, 0, 0, 0, 1, 1, 1, 1);
            var acc = Vector256<int>.Zero;
            for (; x <= taps - 2; x += 2)
            {
                var pixels = Avx2.ConvertToVector256Int32(Load8(ref Unsafe.Add(ref p, x * 4)));
                var pair = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<int, byte>(ref Unsafe.Add(ref k, x)))).AsInt32();
                acc += pixels * Avx2.PermuteVar8x32(pair.ToVector256Unsafe(), spread);
            }

            sum += acc.GetLower() + acc.GetUpper();
        }

        for (; x < taps; x++)
        {
            sum += Widen4(ref Unsafe.Add(ref p, x * 4)) * Vector128.Create(Unsafe.Add(ref k, x));
        }

        return sum;
    }

    /// <summary>The window's rows: each output byte is the filter down its column of the horizontal pass, 16 columns a step.</summary>
    private static void Vertical(byte[] temp, int stride, int firstRow, Span<byte> window, Filter filter, int count, SimdWidth simd)
    {
        ref var coeffs = ref MemoryMarshal.GetArrayDataReference(filter.Coeffs);
        for (var yy = 0; yy < count; yy++)
        {
            ref var src = ref temp[(filter.Bounds[2 * yy] - firstRow) * stride];
            ref var k = ref Unsafe.Add(ref coeffs, yy * filter.KSize);
            var taps = filter.Bounds[(2 * yy) + 1];
            ref var output = ref window[yy * stride];
            var j = 0;
            if (simd == SimdWidth.Avx512)
            {
                for (; j <= stride - 16; j += 16)
                {
                    var acc = Vector512.Create(Half);
                    for (var y = 0; y < taps; y++)
                    {
                        acc += Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref src, (nuint)((y * stride) + j))) * Vector512.Create(Unsafe.Add(ref k, y));
                    }

                    var clipped = Vector512.Min(Vector512.Max(acc >> PrecisionBits, Vector512<int>.Zero), Vector512.Create(255));
                    Avx512F.ConvertToVector128Byte(clipped).StoreUnsafe(ref output, (nuint)j);
                }
            }

            if (simd != SimdWidth.Scalar)
            {
                for (; j <= stride - 8; j += 8)
                {
                    var acc = Vector256.Create(Half);
                    for (var y = 0; y < taps; y++)
                    {
                        acc += Avx2.ConvertToVector256Int32(Load8(ref Unsafe.Add(ref src, (y * stride) + j))) * Vector256.Create(Unsafe.Add(ref k, y));
                    }

                    var clipped = Vector256.Min(Vector256.Max(acc >> PrecisionBits, Vector256<int>.Zero), Vector256.Create(255));
                    var shorts = Vector128.Narrow(clipped.GetLower().AsUInt32(), clipped.GetUpper().AsUInt32());
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, j), Vector128.Narrow(shorts, shorts).AsUInt64().ToScalar());
                }

                for (; j < stride; j += 4)
                {
                    var acc = Vector128.Create(Half);
                    for (var y = 0; y < taps; y++)
                    {
                        acc += Widen4(ref Unsafe.Add(ref src, (y * stride) + j)) * Vector128.Create(Unsafe.Add(ref k, y));
                    }

                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, j), Clip8(acc).AsUInt32().ToScalar());
                }
            }

            for (; j < stride; j++)
            {
                var ss = Half;
                for (var y = 0; y < taps; y++)
                {
                    ss += Unsafe.Add(ref src, (y * stride) + j) * Unsafe.Add(ref k, y);
                }

                Unsafe.Add(ref output, j) = Clip8(ss);
            }
        }
    }

    private static byte Clip8(int value) => value >= (1 << PrecisionBits << 8) ? (byte)255 : value <= 0 ? (byte)0 : (byte)(value >> PrecisionBits);

    /// <summary>Four sums clipped as <see cref="Clip8(int)"/> does, in the low four bytes.</summary>
    private static Vector128<byte> Clip8(Vector128<int> sums)
    {
        var clipped = Vector128.Min(Vector128.Max(sums >> PrecisionBits, Vector128<int>.Zero), Vector128.Create(255));
        var shorts = Vector128.Narrow(clipped.AsUInt32(), clipped.AsUInt32());
        return Vector128.Narrow(shorts, shorts);
    }

    private static Vector128<byte> Load8(ref byte source) => Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref source)).AsByte();

    private static Vector128<int> Widen4(ref byte source) =>
        Sse41.ConvertToVector128Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref source)).AsByte());
}
