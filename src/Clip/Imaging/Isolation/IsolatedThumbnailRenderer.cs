using ClipSearch.Clip.Imaging.Thumbnails;
using ClipSearch.Core;

namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>
/// Thumbnails made in decode worker processes, with the limits of every other decode: one that overruns its time
/// limit has its process killed, so no work of it is left running in the caller's process.
/// </summary>
public sealed class IsolatedThumbnailRenderer(ImageDecodeOptions limits, IsolatedImagePreparerOptions options) : IThumbnailRenderer
{
    private readonly DecodeWorkerPool _pool = new(options);

    /// <summary>Worker processes killed so far (each one stopped a runaway decode or had crashed).</summary>
    public int WorkersKilled => _pool.WorkersKilled;

    /// <summary>Worker processes started so far.</summary>
    internal int WorkersStarted => _pool.WorkersStarted;

    /// <summary>One warm-up thumbnail per worker the pool runs at once, asked for together, so that each starts its own worker.</summary>
    public Task WarmUpAsync() => WarmUpImage.PrepareQuietlyAsync(() => RenderAsync(WarmUpImage.Jpeg, WarmUpImage.ThumbnailSize), _pool.Size);

    public Task<ThumbnailResult> RenderAsync(byte[] data, int size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var request = new WorkerRequest(null, limits.MaxPixels, limits.MaxFileBytes, (int)limits.Timeout.TotalMilliseconds, true, null, null, size);
        // A thumbnail is at most size x size pixels: its encoding is far below this bound.
        var maxAnswer = 16L * size * size + 1024 * 1024;
        return _pool.RunAsync(request, data, maxAnswer, limits.Timeout + IsolatedImagePreparer.HardTimeoutMargin, Interpret,
            () => ThumbnailResult.Fail(SkipReason.TimedOut, $"decoding took longer than {limits.Timeout.TotalSeconds:0.###} s; the decoder process was stopped"),
            () => ThumbnailResult.Fail(SkipReason.Corrupt, "the decoder process crashed on this file"), cancellationToken);
    }

    private static (ThumbnailResult, bool Healthy) Interpret(WorkerResponse response, byte[] data)
    {
        if (!response.Ok)
        {
            var reason = Enum.TryParse<SkipReason>(response.Reason, out var r) ? r : SkipReason.Corrupt;
            return (ThumbnailResult.Fail(reason, response.Detail ?? reason.ToString()), reason != SkipReason.TimedOut);
        }

        return response.Format is "image/jpeg" or "image/png" && data.Length > 0
            ? (new ThumbnailResult(new ThumbnailImage(data, response.Format), null), true)
            : throw new InvalidDataException("the decode worker returned no thumbnail");
    }

    public void Dispose() => _pool.Dispose();
}
