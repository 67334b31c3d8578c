namespace ClipSearch.Clip.Imaging.Thumbnails;

/// <summary>
/// Makes thumbnails of untrusted image bytes within the decoding limits. Never throws for a bad image (it comes back
/// with a failure); only cancellation throws. Thread-safe; disposing stops any worker processes.
/// </summary>
public interface IThumbnailRenderer : IDisposable
{
    /// <summary>A thumbnail whose longest side is at most <paramref name="size"/> pixels (images already smaller keep their size).</summary>
    Task<ThumbnailResult> RenderAsync(byte[] data, int size, CancellationToken cancellationToken = default);
}
