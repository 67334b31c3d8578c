using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ClipSearch.Storage.Embedded;

/// <summary>int8 quantization of unit vectors (component x 127) and their integer dot products.</summary>
internal static class Int8Kernels
{
    public const float Scale = 127f;

    public static void Quantize(ReadOnlySpan<float> vector, Span<sbyte> destination)
    {
        for (var i = 0; i < vector.Length; i++)
        {
            destination[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * Scale), -127f, 127f);
        }
    }

    /// <summary>The query widened to 16-bit once, so that each row costs one widening and one multiply-add per chunk.</summary>
    public static short[] Widen(ReadOnlySpan<sbyte> query)
    {
        var wide = new short[query.Length];
        for (var i = 0; i < query.Length; i++)
        {
            wide[i] = query[i];
        }

        return wide;
    }

    /// <summary>Integer dot product of a quantized row with the widened query.</summary>
    public static int Dot(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        var n = row.Length;
        var i = 0;
        var sum = 0;
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var q = ref MemoryMarshal.GetReference(query);
        if (Avx512BW.IsSupported && n >= 32)
        {
            var acc = Vector512<int>.Zero;
            for (; i + 32 <= n; i += 32)
            {
                var rw = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref r, (nuint)i));
                acc = Avx512F.Add(acc, Avx512BW.MultiplyAddAdjacent(rw, Vector512.LoadUnsafe(ref q, (nuint)i)));
            }

            sum = Vector512.Sum(acc);
        }
        else if (Avx2.IsSupported && n >= 16)
        {
            var acc = Vector256<int>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var rw = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)i));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(rw, Vector256.LoadUnsafe(ref q, (nuint)i)));
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref r, i) * Unsafe.Add(ref q, i);
        }

        return sum;
    }
}
