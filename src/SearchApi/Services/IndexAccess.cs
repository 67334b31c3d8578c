using System.Collections.Concurrent;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
using ClipSearch.Engine.Search;
using ClipSearch.SearchApi.Common;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// The vector index the API serves (the engine's: embedded, the default, or Qdrant). Collections are opened for the
/// loaded model's text encoder, so a collection filled by another model is refused (409) with what to change.
/// The embedded index may be written by <c>clipsearch index</c> meanwhile: readers see each committed batch.
/// </summary>
internal sealed class IndexAccess(CollectionAccess collections, ITextEncoder model, IOptions<ClipSearchOptions> options)
{
    private readonly ConcurrentDictionary<string, (IVectorCollection Collection, long At)> _checked = new(StringComparer.Ordinal);

    public static TimeSpan RecheckInterval { get; } = TimeSpan.FromSeconds(1);

    public IVectorStore Store => collections.Store.Store;

    /// <summary>Where the index is, for health reports and logs.</summary>
    public string Location => collections.Store.Description;

    /// <summary>The thumbnail cache: the configured folder, else beside the embedded index (in the temp folder for Qdrant).</summary>
    public string ThumbnailFolder { get; } = options.Value.ThumbnailCache
        ?? (collections.Store.EmbeddedFolder is { } folder ? Path.Combine(folder, "thumbnails") : Path.Combine(Path.GetTempPath(), "clipsearch-thumbnails"));

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

        var collection = await collections.OpenAsync(name, model, cancellationToken).ConfigureAwait(false);
        _checked[name] = (collection, now);
        return collection;
    }
}
