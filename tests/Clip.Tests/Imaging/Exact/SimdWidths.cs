using ClipSearch.Clip.Imaging;

namespace ClipSearch.Clip.Tests.Imaging.Exact;

/// <summary>Every kernel width as theory data, and the skip for a width this machine does not run.</summary>
internal static class SimdWidths
{
    public static TheoryData<string> All() => [nameof(SimdWidth.Scalar), nameof(SimdWidth.Avx2), nameof(SimdWidth.Avx512)];

    public static SimdWidth Runnable(string name)
    {
        var simd = Enum.Parse<SimdWidth>(name);
        Skip.IfNot(Simd.Supports(simd), $"this machine has no {simd}");
        return simd;
    }
}
