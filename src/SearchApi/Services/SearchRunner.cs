using System.Diagnostics;
using ClipSearch.Core.Index;
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
        var extra = exclude is null ? 0 : 1;
        var started = Stopwatch.GetTimestamp();
        var hits = await collection.SearchAsync(new VectorQuery(vector, Math.Min(VectorQuery.MaxK, k + extra), offset, filter, minScore), cancellationToken)
            .ConfigureAwait(false);
        metrics.RecordIndex("search", Stopwatch.GetElapsedTime(started));
        return [.. hits.Where(h => h.Id != exclude).Take(k).Select(h => ImageUrls.Hit(h.Id, h.Score, h.Payload, collection.Name))];
    }
}
