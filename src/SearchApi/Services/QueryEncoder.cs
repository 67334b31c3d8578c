using System.Diagnostics;
using ClipSearch.Core.Embeddings;
using ClipSearch.SearchApi.Common;

namespace ClipSearch.SearchApi.Services;

/// <summary>The engine's encoders as the endpoints use them: timed for the metrics, and an upload that is not a usable image refused in the API's words.</summary>
internal sealed class QueryEncoder(ITextEncoder text, IImageEncoder images, ApiMetrics metrics)
{
    public ITextEncoder Text => text;

    /// <summary>Embeddings of texts (the engine caches repeated ones).</summary>
    public float[][] EncodeTexts(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var encoded = text.Encode(texts, cancellationToken);
        metrics.RecordEncode("text", Stopwatch.GetElapsedTime(started));
        return encoded;
    }

    /// <summary>The embedding of an uploaded image, decoded with the engine's limits (in worker processes unless configured otherwise).</summary>
    /// <exception cref="RequestException">415, 413 or 422: the bytes are not a usable image.</exception>
    public async Task<float[]> EncodeUploadAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var encoded = await images.EncodeBytesAsync(bytes, cancellationToken).ConfigureAwait(false);
        if (!encoded.Succeeded)
        {
            throw UploadedImage.Rejected(encoded.Failure, bytes, images.Limits);
        }

        metrics.RecordEncode("image", Stopwatch.GetElapsedTime(started));
        return encoded.Embedding;
    }
}
