namespace ClipSearch.Clip.Imaging.Thumbnails;

/// <summary>
/// Makes thumbnails of untrusted image bytes within the decoding limits. Never throws for a bad image (it comes back
/// with a failure); only cancellation throws. Thread-safe; disposing stops any worker processes.
/// </summary>
public interface IThumbnailRenderer : IDisposable
{
    /// <summary>A thumbnail whose longest side is at most <paramref name="size"/> pixels (images already smaller keep their size).</summary>
    Task<ThumbnailResult> RenderAsync(byte[] data, int size, CancellationToken cancellationToken = default);

    /// <summary>
    /// Renders a thumbnail of <see cref="WarmUpImage.Jpeg"/> in every decoder this renderer runs at once (each worker process,
    /// or this process), so that the first thumbnails a user asks for need not wait for them to start. Never throws.
    /// </summary>
    Task WarmUpAsync() => Task.CompletedTask;
}
