using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ClipSearch.Core;

/// <summary>
/// Dot products of one query with four consecutive rows in one pass: each query chunk is loaded once and
/// feeds four fused multiply-adds, which keeps an exact scan close to memory bandwidth (one TensorPrimitives.Dot
/// call per row reaches about 60% of it on 512-d vectors).
/// </summary>
public static class DotKernels
{
    public static bool Accelerated => Fma.IsSupported && Avx.IsSupported;

    /// <summary>Scores rows [row, row+4) of <paramref name="rows"/> (row-major, <paramref name="dimension"/> wide) into <paramref name="scores"/>.</summary>
    public static void Dot4(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, int row, int dimension, Span<float> scores)
    {
        if (!Accelerated || dimension % 8 != 0)
        {
            for (var r = 0; r < 4; r++)
            {
                scores[r] = TensorPrimitives.Dot(query, rows.Slice((row + r) * dimension, dimension));
            }

            return;
        }

        ref var q = ref MemoryMarshal.GetReference(query);
        ref var r0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), row * dimension);
        ref var r1 = ref Unsafe.Add(ref r0, dimension);
        ref var r2 = ref Unsafe.Add(ref r1, dimension);
        ref var r3 = ref Unsafe.Add(ref r2, dimension);
        if (Avx512F.IsSupported && dimension % 16 == 0)
        {
            Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
            for (var j = 0; j < dimension; j += 16)
            {
                var qv = Vector512.LoadUnsafe(ref q, (nuint)j);
                b0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, (nuint)j), qv, b0);
                b1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r1, (nuint)j), qv, b1);
                b2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r2, (nuint)j), qv, b2);
                b3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r3, (nuint)j), qv, b3);
            }

            scores[0] = Vector512.Sum(b0);
            scores[1] = Vector512.Sum(b1);
            scores[2] = Vector512.Sum(b2);
            scores[3] = Vector512.Sum(b3);
            return;
        }

        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (var j = 0; j < dimension; j += 8)
        {
            var qv = Vector256.LoadUnsafe(ref q, (nuint)j);
            a0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref r0, (nuint)j), qv, a0);
            a1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref r1, (nuint)j), qv, a1);
            a2 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref r2, (nuint)j), qv, a2);
            a3 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref r3, (nuint)j), qv, a3);
        }

        scores[0] = Vector256.Sum(a0);
        scores[1] = Vector256.Sum(a1);
        scores[2] = Vector256.Sum(a2);
        scores[3] = Vector256.Sum(a3);
    }
}
