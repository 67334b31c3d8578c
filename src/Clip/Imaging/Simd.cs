using System.Runtime.Intrinsics.X86;

namespace ClipSearch.Clip.Imaging;

/// <summary>Which <see cref="SimdWidth"/> this machine runs.</summary>
internal static class Simd
{
    public static SimdWidth Best { get; } = Avx512F.IsSupported && Avx512BW.IsSupported ? SimdWidth.Avx512
        : Avx2.IsSupported ? SimdWidth.Avx2
        : SimdWidth.Scalar;

    /// <summary>Whether this machine can run <paramref name="width"/>.</summary>
    public static bool Supports(SimdWidth width) => width <= Best;
}
