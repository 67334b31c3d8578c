using System.Diagnostics;
using ClipSearch.Core.Embeddings;
using ClipSearch.Engine.Models;
using ClipSearch.SearchApi.Common;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// The engine's encoders as the endpoints use them: timed for the metrics, and an upload that is not a usable image refused
/// in the API's words. A text tower alone (a multilingual tower sharing another model's image space) has no image encoder:
/// image uploads are then refused, while text queries and searches by an indexed image's stored embedding work.
/// </summary>
internal sealed class QueryEncoder(ITextEncoder text, LoadedModel model, IServiceProvider services, ApiMetrics metrics)
{
    private readonly Lazy<IImageEncoder> _images = new(services.GetRequiredService<IImageEncoder>);

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
        if (!model.HasImageTower)
        {
            throw new RequestException(StatusCodes.Status422UnprocessableEntity, "No image tower",
                $"the model in use, '{model.ModelId}', is a text tower alone: it searches by text, and by indexed images (similar), but cannot embed an uploaded image.");
        }

        var started = Stopwatch.GetTimestamp();
        var images = _images.Value;
        var encoded = await images.EncodeBytesAsync(bytes, cancellationToken).ConfigureAwait(false);
        if (!encoded.Succeeded)
        {
            throw UploadedImage.Rejected(encoded.Failure, bytes, images.Limits);
        }

        metrics.RecordEncode("image", Stopwatch.GetElapsedTime(started));
        return encoded.Embedding;
    }
}
