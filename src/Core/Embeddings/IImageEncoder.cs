namespace ClipSearch.Core.Embeddings;

/// <summary>
/// The image tower of a model, in two steps so that a pipeline can decode many files in parallel and encode them
/// in batches: <see cref="PrepareFileAsync"/> / <see cref="PrepareBytesAsync"/> decode an untrusted file within
/// <see cref="Limits"/> into this model's input (never throwing for a bad file: it comes back with a
/// <see cref="SkipReason"/>; only cancellation throws), and <see cref="Encode"/> turns prepared images into
/// L2-normalised embeddings, one per image and in order. Thread-safe; disposing stops any decoding processes.
/// </summary>
public interface IImageEncoder : IEncoder, IDisposable
{
    ImageLimits Limits { get; }

    Task<PrepareResult> PrepareFileAsync(string path, CancellationToken cancellationToken = default);

    Task<PrepareResult> PrepareBytesAsync(byte[] data, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many <see cref="Encode"/> calls are worth running at once: a pipeline keeps that many batches encoding side by
    /// side (on CPU, a batch per core encodes more images a second than one batch spread over the cores).
    /// </summary>
    int Parallelism => 1;

    /// <summary>
    /// Gets the decoders ready before the first file arrives (worker processes started, their decode path compiled), so that
    /// this happens beside whatever the caller does meanwhile, such as loading the image tower, instead of before its first
    /// images. Never throws: a decoder that cannot start fails the first real file as it would have.
    /// </summary>
    Task WarmUpDecodersAsync() => Task.CompletedTask;

    /// <exception cref="ArgumentException">An image was prepared by another encoder.</exception>
    float[][] Encode(IReadOnlyList<PreparedImage> images, CancellationToken cancellationToken = default);
}
