using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ClipSearch.Core;

/// <summary>
/// Dot products of a query with many rows (<see cref="DotRows"/>, the exact scan's kernel) and blocks of
/// several vectors against several rows (the zero-shot classifier's kernels, which are compute-bound).
/// </summary>
public static class DotKernels
{
    public static bool Accelerated => Fma.IsSupported && Avx.IsSupported;

    /// <summary>
    /// Scores <c>scores.Length</c> consecutive rows of <paramref name="rows"/> (row-major, <paramref name="dimension"/>
    /// wide; managed or memory-mapped) against <paramref name="query"/>. Memory-bound: one row at a time in address
    /// order, so the hardware prefetcher sees one sequential stream (interleaving four rows, as <see cref="Dot4"/>
    /// does, measured ~0.4-0.6 of a plain read's bandwidth on Zen 4, this ~0.9-1.0); four accumulators per row.
    /// </summary>
    public static void DotRows(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, int dimension, Span<float> scores)
    {
        if (query.Length < dimension || rows.Length < scores.Length * dimension)
        {
            throw new ArgumentException("DotRows needs a query of the dimension and scores.Length full rows.");
        }

        if (!Vector512.IsHardwareAccelerated || dimension % 16 != 0)
        {
            for (var r = 0; r < scores.Length; r++)
            {
                scores[r] = TensorPrimitives.Dot(query[..dimension], rows.Slice(r * dimension, dimension));
            }

            return;
        }

        ref var q = ref MemoryMarshal.GetReference(query);
        ref var row = ref MemoryMarshal.GetReference(rows);
        ref var score = ref MemoryMarshal.GetReference(scores);
        var wide = (nuint)(dimension & ~63);
        for (var r = 0; r < scores.Length; r++)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            nuint j = 0;
            for (; j < wide; j += 64)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, j), Vector512.LoadUnsafe(ref q, j), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, j + 16), Vector512.LoadUnsafe(ref q, j + 16), a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, j + 32), Vector512.LoadUnsafe(ref q, j + 32), a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, j + 48), Vector512.LoadUnsafe(ref q, j + 48), a3);
            }

            for (; j < (nuint)dimension; j += 16)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, j), Vector512.LoadUnsafe(ref q, j), a0);
            }

            Unsafe.Add(ref score, r) = Vector512.Sum((a0 + a1) + (a2 + a3));
            row = ref Unsafe.Add(ref row, dimension);
        }
    }

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

    /// <summary>Whether <see cref="Dot4x4"/> runs vectorised for this dimension.</summary>
    public static bool Supports4x4(int dimension) => Avx512F.IsSupported && dimension % 16 == 0;

    /// <summary>
    /// Dot products of four vectors with rows [row, row+4) of <paramref name="rows"/> in one pass (a 4x4 register
    /// block: each loaded chunk feeds four fused multiply-adds, so the rows are read once per four vectors).
    /// <paramref name="scores"/>[4 * v + r] receives vector v . row r. Needs <see cref="Supports4x4"/>.
    /// </summary>
    public static void Dot4x4(ReadOnlySpan<float> v0, ReadOnlySpan<float> v1, ReadOnlySpan<float> v2, ReadOnlySpan<float> v3, ReadOnlySpan<float> rows, int row,
        int dimension, Span<float> scores)
    {
        if (!Supports4x4(dimension) || v0.Length < dimension || v1.Length < dimension || v2.Length < dimension || v3.Length < dimension
            || rows.Length < (row + 4) * dimension || scores.Length < 16)
        {
            throw new ArgumentException("Dot4x4 needs AVX-512, a dimension that is a multiple of 16, and full-length inputs.");
        }

        ref var r0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), row * dimension);
        ref var r1 = ref Unsafe.Add(ref r0, dimension);
        ref var r2 = ref Unsafe.Add(ref r1, dimension);
        ref var r3 = ref Unsafe.Add(ref r2, dimension);
        ref var a0 = ref MemoryMarshal.GetReference(v0);
        ref var a1 = ref MemoryMarshal.GetReference(v1);
        ref var a2 = ref MemoryMarshal.GetReference(v2);
        ref var a3 = ref MemoryMarshal.GetReference(v3);
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        for (nuint j = 0; j < (nuint)dimension; j += 16)
        {
            var l0 = Vector512.LoadUnsafe(ref r0, j);
            var l1 = Vector512.LoadUnsafe(ref r1, j);
            var l2 = Vector512.LoadUnsafe(ref r2, j);
            var l3 = Vector512.LoadUnsafe(ref r3, j);
            var x = Vector512.LoadUnsafe(ref a0, j);
            s00 = Avx512F.FusedMultiplyAdd(x, l0, s00);
            s01 = Avx512F.FusedMultiplyAdd(x, l1, s01);
            s02 = Avx512F.FusedMultiplyAdd(x, l2, s02);
            s03 = Avx512F.FusedMultiplyAdd(x, l3, s03);
            x = Vector512.LoadUnsafe(ref a1, j);
            s10 = Avx512F.FusedMultiplyAdd(x, l0, s10);
            s11 = Avx512F.FusedMultiplyAdd(x, l1, s11);
            s12 = Avx512F.FusedMultiplyAdd(x, l2, s12);
            s13 = Avx512F.FusedMultiplyAdd(x, l3, s13);
            x = Vector512.LoadUnsafe(ref a2, j);
            s20 = Avx512F.FusedMultiplyAdd(x, l0, s20);
            s21 = Avx512F.FusedMultiplyAdd(x, l1, s21);
            s22 = Avx512F.FusedMultiplyAdd(x, l2, s22);
            s23 = Avx512F.FusedMultiplyAdd(x, l3, s23);
            x = Vector512.LoadUnsafe(ref a3, j);
            s30 = Avx512F.FusedMultiplyAdd(x, l0, s30);
            s31 = Avx512F.FusedMultiplyAdd(x, l1, s31);
            s32 = Avx512F.FusedMultiplyAdd(x, l2, s32);
            s33 = Avx512F.FusedMultiplyAdd(x, l3, s33);
        }

        scores[0] = Vector512.Sum(s00);
        scores[1] = Vector512.Sum(s01);
        scores[2] = Vector512.Sum(s02);
        scores[3] = Vector512.Sum(s03);
        scores[4] = Vector512.Sum(s10);
        scores[5] = Vector512.Sum(s11);
        scores[6] = Vector512.Sum(s12);
        scores[7] = Vector512.Sum(s13);
        scores[8] = Vector512.Sum(s20);
        scores[9] = Vector512.Sum(s21);
        scores[10] = Vector512.Sum(s22);
        scores[11] = Vector512.Sum(s23);
        scores[12] = Vector512.Sum(s30);
        scores[13] = Vector512.Sum(s31);
        scores[14] = Vector512.Sum(s32);
        scores[15] = Vector512.Sum(s33);
    }
}
