using System.Collections.Concurrent;
using ClipSearch.Core.Index;
using ClipSearch.Indexing;
using ClipSearch.SearchApi.Hosting;
using ClipSearch.Storage.Embedded;
using ClipSearch.Storage.Qdrant;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// The vector index the API serves: the embedded one (a folder, the default) or Qdrant. Collections are opened
/// with the loaded model's id and dimension, so a collection filled by another model is refused (409).
/// The embedded index may be written by <c>clipsearch index</c> meanwhile: readers see each committed batch.
/// </summary>
internal sealed class IndexAccess : IDisposable
{
    private readonly ClipRuntime _clip;
    private readonly ConcurrentDictionary<string, (IVectorCollection Collection, long At)> _checked = new(StringComparer.Ordinal);

    public IndexAccess(IOptions<ClipSearchOptions> options, IOptions<EmbeddedStoreOptions> embedded, IOptions<QdrantStoreOptions> qdrant, ClipRuntime clip)
    {
        var settings = options.Value;
        _clip = clip;
        if (settings.Qdrant.Url is { } url)
        {
            var q = qdrant.Value;
            q.Url = url;
            q.ApiKey = settings.Qdrant.ApiKey ?? q.ApiKey;
            Store = new QdrantVectorStore(q);
            Location = $"Qdrant at {url}";
            ThumbnailFolder = settings.ThumbnailCache ?? Path.Combine(Path.GetTempPath(), "clipsearch-thumbnails");
        }
        else
        {
            var e = embedded.Value;
            e.Path = Path.GetFullPath(settings.Store is { Length: > 0 } folder ? folder : UserFolders.DefaultStore());
            Store = new EmbeddedVectorStore(e);
            Location = e.Path;
            ThumbnailFolder = settings.ThumbnailCache ?? Path.Combine(e.Path, "thumbnails");
        }
    }

    public IVectorStore Store { get; }

    /// <summary>Where the index is, for health reports and logs.</summary>
    public string Location { get; }

    public string ThumbnailFolder { get; }

    /// <summary>
    /// A collection checked against the loaded model. The check (a read of the index's catalogue) is repeated at
    /// most every <see cref="RecheckInterval"/> per collection: often enough to notice within a second a collection
    /// dropped or refilled by another model under the running API, rarely enough to stay off the request path.
    /// </summary>
    /// <exception cref="VectorStoreException">InvalidRequest (bad name), CollectionNotFound, ModelMismatch, Unavailable.</exception>
    public async Task<IVectorCollection> OpenAsync(string name, CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        if (_checked.TryGetValue(name, out var known) && now - known.At < RecheckInterval.TotalMilliseconds)
        {
            return known.Collection;
        }

        var collection = await Store.OpenCollectionAsync(name, _clip.ModelId, _clip.Dimension, cancellationToken).ConfigureAwait(false);
        _checked[name] = (collection, now);
        return collection;
    }

    public static TimeSpan RecheckInterval { get; } = TimeSpan.FromSeconds(1);

    public void Dispose() => Store.Dispose();
}
