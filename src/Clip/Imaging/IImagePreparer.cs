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
}
