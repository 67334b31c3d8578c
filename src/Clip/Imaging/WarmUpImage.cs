namespace ClipSearch.Clip.Imaging;

/// <summary>
/// The image decoders are warmed up with: a 640x480 baseline JPEG with 4:2:0 chroma (a colour gradient, a disc and a
/// rectangle; Pillow, quality 80), 14 KB. Large enough that the scaled decode reduces it in the DCT domain and the
/// resize shrinks it, as with photos, so that a warm-up runs the code paths real files take (and thumbnails: a 256-pixel one).
/// </summary>
public static class WarmUpImage
{
    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using var stream = typeof(WarmUpImage).Assembly.GetManifestResourceStream("ClipSearch.Clip.Imaging.warm-up.jpg")
            ?? throw new InvalidOperationException("The warm-up image is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The thumbnail size a warm-up renders (the API's default).</summary>
    internal const int ThumbnailSize = 256;

    /// <summary>The file's bytes (one array, shared: do not change it).</summary>
    public static byte[] Jpeg => Bytes.Value;

    /// <summary>
    /// Runs <paramref name="prepare"/> <paramref name="times"/> at once and waits for them, whatever they return; a failure
    /// (the preparer disposed meanwhile, a worker that cannot start) is left for the first real file to meet.
    /// </summary>
    internal static async Task PrepareQuietlyAsync(Func<Task> prepare, int times)
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Max(1, times)).Select(_ => prepare())).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a warm-up that fails changes nothing: the first real file meets the same failure and reports it
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
