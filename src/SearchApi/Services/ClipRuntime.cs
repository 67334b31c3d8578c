using System.Diagnostics;
using ClipSearch.Clip;
using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Imaging.Isolation;
using ClipSearch.Clip.Inference;
using ClipSearch.Core.ZeroShot;
using ClipSearch.SearchApi.Hosting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// The CLIP model, loaded once at start-up, and what the endpoints do with it: text embeddings (cached, bounded),
/// image embeddings of uploads (decoded with the indexer's limits, in worker processes unless configured otherwise)
/// and zero-shot classifiers.
/// </summary>
internal sealed class ClipRuntime : IDisposable
{
    private readonly ClipModel _model;
    private readonly IImagePreparer _preparer;
    private readonly MemoryCache? _texts;
    private readonly ApiMetrics _metrics;

    public ClipRuntime(IOptions<ClipSearchOptions> options, IOptions<ImageDecodeOptions> decode, ApiMetrics metrics, ILogger<ClipRuntime> logger)
    {
        var settings = options.Value;
        _metrics = metrics;
        ModelFolder = settings.Model is { Length: > 0 } folder ? Path.GetFullPath(folder) : BundledModel;
        _model = ClipModel.Load(ModelFolder, new ClipEngineOptions { Device = settings.Device }, logger: logger);
        _preparer = settings.IsolateDecoding
            ? new IsolatedImagePreparer(decode.Value, _model.Preprocessor, new IsolatedImagePreparerOptions
            {
                Command = WorkerCommand.ForAssembly(typeof(ClipRuntime).Assembly.Location),
                Workers = Math.Max(1, Environment.ProcessorCount / 2),
            })
            : new InProcessImagePreparer(decode.Value, _model.Preprocessor);
        _texts = settings.TextCacheEntries > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = settings.TextCacheEntries }) : null;
    }

    /// <summary>The tiny CLIP copied beside the API at build time (models/tiny-clip in the repository).</summary>
    public static string BundledModel => Path.Combine(AppContext.BaseDirectory, "models", "tiny-clip");

    public string ModelFolder { get; }

    public string ModelId => _model.ModelId;

    public int Dimension => _model.Dimension;

    public string Device => _model.Device.ToString().ToLowerInvariant();

    /// <summary>The L2-normalised embedding of a text (cached).</summary>
    public float[] EncodeText(string text, CancellationToken cancellationToken) => EncodeTexts([text], cancellationToken)[0];

    /// <summary>Embeddings of texts, the cached ones looked up and the others encoded in one batch.</summary>
    public float[][] EncodeTexts(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var result = new float[texts.Count][];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (_texts is not null && _texts.TryGetValue(texts[i], out float[]? cached) && cached is not null)
            {
                result[i] = cached;
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            var started = Stopwatch.GetTimestamp();
            var encoded = _model.EncodeTexts([.. missing.Select(i => texts[i])], cancellationToken);
            _metrics.RecordEncode("text", Stopwatch.GetElapsedTime(started));
            for (var j = 0; j < missing.Count; j++)
            {
                result[missing[j]] = encoded[j];
                _texts?.Set(texts[missing[j]], encoded[j], new MemoryCacheEntryOptions { Size = 1 });
            }
        }

        return result;
    }

    /// <summary>Prepares and embeds an uploaded image; a failure says why the bytes are not a usable image.</summary>
    public async Task<(float[]? Embedding, PrepareResult Prepared)> EncodeImageAsync(byte[] data, CancellationToken cancellationToken)
    {
        var prepared = await _preparer.PrepareBytesAsync(data, cancellationToken).ConfigureAwait(false);
        if (!prepared.Succeeded)
        {
            return (null, prepared);
        }

        var started = Stopwatch.GetTimestamp();
        var embedding = _model.EncodePixelTensors([prepared.Image.Tensor], cancellationToken)[0];
        _metrics.RecordEncode("image", Stopwatch.GetElapsedTime(started));
        return (embedding, prepared);
    }

    /// <summary>A zero-shot classifier of <paramref name="labels"/> (label embeddings from the text cache).</summary>
    public ZeroShotClassifier Classifier(IReadOnlyList<string> labels, PromptSet prompts, CancellationToken cancellationToken) =>
        ZeroShotClassifier.FromEmbeddings(labels, ZeroShotClassifier.Embed(labels, prompts, texts => EncodeTexts(texts, cancellationToken)), _model.Folder.LogitScale);

    public void Dispose()
    {
        _preparer.Dispose();
        _texts?.Dispose();
        _model.Dispose();
    }
}
