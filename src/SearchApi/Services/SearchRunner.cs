using System.Diagnostics;
using ClipSearch.Core.Index;
using ClipSearch.Engine.Search;
using ClipSearch.SearchApi.Apis;
using ClipSearch.SearchApi.Contracts;

namespace ClipSearch.SearchApi.Services;

/// <summary>Runs a nearest-neighbour query and maps its hits, timing the index call.</summary>
internal sealed class SearchRunner(ApiMetrics metrics)
{
    /// <summary>The hits for <paramref name="vector"/>; <paramref name="exclude"/> (the query image itself) is left out.</summary>
    public async Task<List<ImageHit>> SearchAsync(IVectorCollection collection, float[] vector, int k, int offset, PointFilter? filter, float? minScore,
        Guid? exclude, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var hits = await CollectionSearch.SearchAsync(collection, new VectorQuery(vector, k, offset, filter, minScore), exclude, cancellationToken).ConfigureAwait(false);
        metrics.RecordIndex("search", Stopwatch.GetElapsedTime(started));
        return [.. hits.Select(h => ImageUrls.Hit(h.Id, h.Score, h.Payload, collection.Name))];
    }
}
