using ClipSearch.Core.ZeroShot;

namespace ClipSearch.Core.Embeddings;

/// <summary>
/// The text tower of a model: texts in, L2-normalised embeddings out, one per text and in order, in batches the
/// implementation chooses. Thread-safe. Throws <see cref="OperationCanceledException"/> when cancelled.
/// </summary>
public interface ITextEncoder : IEncoder
{
    /// <summary>How this model turns cosine similarities of images and label texts into zero-shot probabilities.</summary>
    ZeroShotScoring Scoring { get; }

    float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
