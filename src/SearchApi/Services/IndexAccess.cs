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
            e.Path = Path.GetFullPath(settings.Store is { Length: > 0 } folder ? folder : DefaultStoreFolder());
            Store = new EmbeddedVectorStore(e);
            Location = e.Path;
            ThumbnailFolder = settings.ThumbnailCache ?? Path.Combine(e.Path, "thumbnails");
        }
    }

    /// <summary>The CLI's default: $CLIPSEARCH_STORE, else ~/.local/share/clipsearch/index.</summary>
    public static string DefaultStoreFolder() => UserFolders.FromEnvironment("CLIPSEARCH_STORE", UserFolders.Data("index"));

    public IVectorStore Store { get; }

    /// <summary>Where the index is, for health reports and logs.</summary>
    public string Location { get; }

    public string ThumbnailFolder { get; }

    /// <summary>
    /// A collection checked against the loaded model on every call (the store keeps it open; the check notices a
    /// collection dropped or refilled by another model under the running API).
    /// </summary>
    /// <exception cref="VectorStoreException">InvalidRequest (bad name), CollectionNotFound, ModelMismatch, Unavailable.</exception>
    public Task<IVectorCollection> OpenAsync(string name, CancellationToken cancellationToken) =>
        Store.OpenCollectionAsync(name, _clip.ModelId, _clip.Dimension, cancellationToken);

    public void Dispose() => Store.Dispose();
}
