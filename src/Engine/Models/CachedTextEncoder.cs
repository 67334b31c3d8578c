using ClipSearch.Core.Embeddings;
using ClipSearch.Core.ZeroShot;
using Microsoft.Extensions.Caching.Memory;

namespace ClipSearch.Engine.Models;

/// <summary>
/// A text encoder that remembers the embeddings of up to <c>entries</c> texts (when full, the least recently used
/// are dropped): repeated queries and the prompts of zero-shot labels are encoded once. One per loaded model, owned
/// by the container. The arrays it returns may be shared between callers: never modify them.
/// </summary>
public sealed class CachedTextEncoder : ITextEncoder, IDisposable
{
    private readonly ITextEncoder _inner;
    private readonly MemoryCache? _cache;
    private long _encoded;

    public CachedTextEncoder(ITextEncoder inner, int entries)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(entries);
        _inner = inner;
        _cache = entries > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = entries }) : null;
    }

    public string ModelId => _inner.ModelId;

    public int Dimension => _inner.Dimension;

    public string? SharedSpace => _inner.SharedSpace;

    public IReadOnlyList<string> SharedSpaces => _inner.SharedSpaces;

    public ZeroShotScoring Scoring => _inner.Scoring;

    /// <summary>Texts encoded by the model so far (not answered from the cache).</summary>
    public long Encoded => Interlocked.Read(ref _encoded);

    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (_cache is null)
        {
            Interlocked.Add(ref _encoded, texts.Count);
            return _inner.Encode(texts, cancellationToken);
        }

        var result = new float[texts.Count][];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (_cache.TryGetValue(texts[i], out float[]? cached) && cached is not null)
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
            var distinct = missing.Select(i => texts[i]).Distinct(StringComparer.Ordinal).ToList();
            var encoded = _inner.Encode(distinct, cancellationToken);
            Interlocked.Add(ref _encoded, distinct.Count);
            var byText = new Dictionary<string, float[]>(StringComparer.Ordinal);
            for (var j = 0; j < distinct.Count; j++)
            {
                byText[distinct[j]] = encoded[j];
                _cache.Set(distinct[j], encoded[j], new MemoryCacheEntryOptions { Size = 1 });
            }

            foreach (var i in missing)
            {
                result[i] = byText[texts[i]];
            }
        }

        return result;
    }

    public void Dispose() => _cache?.Dispose();
}
