namespace ClipSearch.Clip.Imaging;

/// <summary>
/// The widest vector instructions the exact imaging kernels may use. Every width gives the same bytes; tests run
/// each one the machine has, so the narrower paths stay covered on an AVX-512 machine.
/// </summary>
internal enum SimdWidth
{
    Scalar,
    Avx2,
    Avx512,
}
