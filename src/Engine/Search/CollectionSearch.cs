using ClipSearch.Core.Index;

namespace ClipSearch.Engine.Search;

/// <summary>Searches the front ends share: "more like this" (the query image left out), and finding an indexed image by id or path.</summary>
public static class CollectionSearch
{
    /// <summary>
    /// The hits of <paramref name="query"/> with <paramref name="exclude"/> (the image the query came from) left out
    /// of every page: still <see cref="VectorQuery.K"/> of them when that many others match, and page n + 1 starting
    /// where page n ended.
    /// </summary>
    public static async Task<IReadOnlyList<SearchHit>> SearchAsync(IVectorCollection collection, VectorQuery query, Guid? exclude,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(query);
        if (exclude is null)
        {
            return await collection.SearchAsync(query, cancellationToken).ConfigureAwait(false);
        }

        // The excluded point may rank anywhere up to the page's end: read from the top to one past it, drop it, then page.
        // Pages beyond MaxK cannot be read from the top; there it can only be dropped from the page itself.
        var fromTop = query.Offset + query.K + 1 <= VectorQuery.MaxK;
        var read = fromTop ? query with { Offset = 0, K = query.Offset + query.K + 1 } : query with { K = Math.Min(VectorQuery.MaxK, query.K + 1) };
        var hits = await collection.SearchAsync(read, cancellationToken).ConfigureAwait(false);
        return [.. hits.Where(h => h.Id != exclude).Skip(fromTop ? query.Offset : 0).Take(query.K)];
    }

    /// <summary>An indexed point by its id, or by the full path of its file; with its vector. Null when there is none.</summary>
    public static async Task<StoredPoint?> FindAsync(IVectorCollection collection, string idOrPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(idOrPath);
        if (Guid.TryParse(idOrPath, out var id))
        {
            return await collection.GetAsync(id, withVector: true, cancellationToken).ConfigureAwait(false);
        }

        var full = Path.GetFullPath(idOrPath).Replace(Path.DirectorySeparatorChar, '/');
        var folder = Path.GetDirectoryName(full)!.Replace(Path.DirectorySeparatorChar, '/');
        await foreach (var batch in collection.ScrollAsync(new FolderFilter(folder), 1000, withVectors: false, cancellationToken).ConfigureAwait(false))
        {
            if (batch.FirstOrDefault(p => p.Payload.FullPath == full) is { } match)
            {
                return await collection.GetAsync(match.Id, withVector: true, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }
}
