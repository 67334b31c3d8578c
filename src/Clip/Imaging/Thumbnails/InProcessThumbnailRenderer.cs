namespace ClipSearch.Clip.Imaging.Thumbnails;

/// <summary>
/// Thumbnails made in this process (decoding isolation turned off): a decode that overruns its limit is abandoned,
/// but its thread may go on until the decoder gives up. <see cref="Isolation.IsolatedThumbnailRenderer"/> is the default.
/// </summary>
public sealed class InProcessThumbnailRenderer(ImageDecodeOptions limits) : IThumbnailRenderer
{
    public Task<ThumbnailResult> RenderAsync(byte[] data, int size, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(() => ThumbnailRendering.Render(limits, data, size, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public Task WarmUpAsync() => WarmUpImage.PrepareQuietlyAsync(() => RenderAsync(WarmUpImage.Jpeg, WarmUpImage.ThumbnailSize), 1);

    public void Dispose()
    {
    }
}
