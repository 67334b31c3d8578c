using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ClipSearch.Storage.Embedded.Primitives;

/// <summary>int8 quantization of unit vectors (component x scale, 127 by default) and their integer dot products.</summary>
internal static unsafe class Int8Kernels
{
    public const float Scale = 127f;

    public static void Quantize(ReadOnlySpan<float> vector, Span<sbyte> destination, float scale = Scale)
    {
        for (var i = 0; i < vector.Length; i++)
        {
            destination[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * scale), -127f, 127f);
        }
    }

    /// <summary>Quantizes straight to 16-bit (the form a query is scored in), zeroing the padding after the vector.</summary>
    public static void QuantizeWide(ReadOnlySpan<float> vector, Span<short> destination, float scale)
    {
        for (var i = 0; i < vector.Length; i++)
        {
            destination[i] = (short)Math.Clamp(MathF.Round(vector[i] * scale), -127f, 127f);
        }

        destination[vector.Length..].Clear();
    }

    /// <summary>Widens a padded int8 row to 16-bit.</summary>
    public static void Widen(sbyte* row, Span<short> destination, int length)
    {
        for (var i = 0; i < length; i++)
        {
            destination[i] = row[i];
        }
    }

    /// <summary>Dot product of an int8 row with a 16-bit query, both <paramref name="length"/> long (a multiple of 64: rows are padded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DotPadded(sbyte* row, short* query, int length) =>
        Avx512BW.IsSupported ? DotPaddedAvx512(row, query, length)
        : Avx2.IsSupported ? DotPaddedAvx2(row, query, length)
        : Vector128.IsHardwareAccelerated ? DotPaddedVector128(row, query, length)
        : DotPaddedScalar(row, query, length);

    /// <summary>Dot product of two padded int8 rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DotPadded(sbyte* a, sbyte* b, int length) =>
        Avx512BW.IsSupported ? DotPaddedAvx512(a, b, length)
        : Avx2.IsSupported ? DotPaddedAvx2(a, b, length)
        : Vector128.IsHardwareAccelerated ? DotPaddedVector128(a, b, length)
        : DotPaddedScalar(a, b, length);

    // The variants are separate so that tests can check each one the machine has against the scalar one.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int DotPaddedAvx512(sbyte* row, short* query, int length)
    {
        var acc0 = Vector512<int>.Zero;
        var acc1 = Vector512<int>.Zero;
        for (var i = 0; i < length; i += 64)
        {
            var r0 = Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(row + i));
            var r1 = Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(row + i + 32));
            acc0 = Avx512F.Add(acc0, Avx512BW.MultiplyAddAdjacent(r0, Avx512F.LoadVector512(query + i)));
            acc1 = Avx512F.Add(acc1, Avx512BW.MultiplyAddAdjacent(r1, Avx512F.LoadVector512(query + i + 32)));
        }

        return Vector512.Sum(Avx512F.Add(acc0, acc1));
    }

    internal static int DotPaddedAvx2(sbyte* row, short* query, int length)
    {
        var acc = Vector256<int>.Zero;
        for (var i = 0; i < length; i += 16)
        {
            var r = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(row + i));
            acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(r, Avx.LoadVector256(query + i)));
        }

        return Vector256.Sum(acc);
    }

    /// <summary>Portable SIMD (ARM64's AdvSimd, older x64): products of int8 values fit in 16 bits, then widen to 32.</summary>
    internal static int DotPaddedVector128(sbyte* row, short* query, int length)
    {
        var acc = Vector128<int>.Zero;
        for (var i = 0; i < length; i += 16)
        {
            var r = Vector128.Load(row + i);
            var low = Vector128.WidenLower(r) * Vector128.Load(query + i);
            var high = Vector128.WidenUpper(r) * Vector128.Load(query + i + 8);
            acc += Vector128.WidenLower(low) + Vector128.WidenUpper(low) + Vector128.WidenLower(high) + Vector128.WidenUpper(high);
        }

        return Vector128.Sum(acc);
    }

    internal static int DotPaddedScalar(sbyte* row, short* query, int length)
    {
        var sum = 0;
        for (var i = 0; i < length; i++)
        {
            sum += row[i] * query[i];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int DotPaddedAvx512(sbyte* a, sbyte* b, int length)
    {
        var acc = Vector512<int>.Zero;
        for (var i = 0; i < length; i += 32)
        {
            var x = Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(a + i));
            var y = Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(b + i));
            acc = Avx512F.Add(acc, Avx512BW.MultiplyAddAdjacent(x, y));
        }

        return Vector512.Sum(acc);
    }

    internal static int DotPaddedAvx2(sbyte* a, sbyte* b, int length)
    {
        var acc = Vector256<int>.Zero;
        for (var i = 0; i < length; i += 16)
        {
            var x = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(a + i));
            var y = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(b + i));
            acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(x, y));
        }

        return Vector256.Sum(acc);
    }

    internal static int DotPaddedVector128(sbyte* a, sbyte* b, int length)
    {
        var acc = Vector128<int>.Zero;
        for (var i = 0; i < length; i += 16)
        {
            var x = Vector128.Load(a + i);
            var y = Vector128.Load(b + i);
            var low = Vector128.WidenLower(x) * Vector128.WidenLower(y);
            var high = Vector128.WidenUpper(x) * Vector128.WidenUpper(y);
            acc += Vector128.WidenLower(low) + Vector128.WidenUpper(low) + Vector128.WidenLower(high) + Vector128.WidenUpper(high);
        }

        return Vector128.Sum(acc);
    }

    internal static int DotPaddedScalar(sbyte* a, sbyte* b, int length)
    {
        var sum = 0;
        for (var i = 0; i < length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// Integer dot product of a quantized row with a 16-bit query of any length (the exact int8 scan's unpadded
    /// rows): the padded kernels over the longest run they take, plain arithmetic for the rest.
    /// </summary>
    public static int Dot(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        var n = row.Length;
        var chunk = Avx512BW.IsSupported ? 64 : Avx2.IsSupported || Vector128.IsHardwareAccelerated ? 16 : 1;
        var vectorised = n - (n % chunk);
        fixed (sbyte* r = row)
        fixed (short* q = query)
        {
            var sum = vectorised > 0 ? DotPadded(r, q, vectorised) : 0;
            for (var i = vectorised; i < n; i++)
            {
                sum += r[i] * q[i];
            }

            return sum;
        }
    }
}
