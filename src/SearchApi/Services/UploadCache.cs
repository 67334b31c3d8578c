using ClipSearch.SearchApi.Common;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// Embeddings of uploaded images, kept for <see cref="ClipSearchOptions.UploadRetention"/> under a random
/// uploadId so that combined queries can refer to them. Bounded; the bytes themselves are not kept.
/// </summary>
internal sealed class UploadCache(IOptions<ClipSearchOptions> options) : IDisposable
{
    private const int MaxEntries = 10_000;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    private readonly TimeSpan _retention = options.Value.UploadRetention;

    public string Add(float[] embedding)
    {
        var id = Guid.NewGuid().ToString("N");
        _entries.Set(id, embedding, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = _retention });
        return id;
    }

    public float[]? Find(string uploadId) => _entries.TryGetValue(uploadId, out float[]? embedding) ? embedding : null;

    public void Dispose() => _entries.Dispose();
}
