using ClipSearch.Core.Embeddings;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// Turns untrusted image files into model inputs (decode, EXIF orientation, CLIP transform). Never throws
/// for a bad file: every file comes back prepared or with a <see cref="ClipSearch.Core.SkipReason"/>.
/// Only cancellation throws. Thread-safe; disposing stops any worker processes.
/// </summary>
public interface IImagePreparer : IDisposable
{
    Task<PrepareResult> PrepareFileAsync(string path, CancellationToken cancellationToken = default);

    Task<PrepareResult> PrepareBytesAsync(byte[] data, CancellationToken cancellationToken = default);

    /// <summary>
    /// Prepares <see cref="WarmUpImage.Jpeg"/> in every decoder this preparer runs at once (each worker process, or this
    /// process), so that starting them and compiling their decode path need not wait for the first real file. Never throws.
    /// </summary>
    Task WarmUpAsync() => Task.CompletedTask;
}
