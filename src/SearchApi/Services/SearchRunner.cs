using System.Diagnostics;
using ClipSearch.Core.Index;
using ClipSearch.Engine.Search;

namespace ClipSearch.SearchApi.Services;

/// <summary>Runs a nearest-neighbour query, timing the index call.</summary>
internal sealed class SearchRunner(ApiMetrics metrics)
{
    /// <summary>The hits for <paramref name="vector"/>; <paramref name="exclude"/> (the query image itself) is left out.</summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(IVectorCollection collection, float[] vector, int k, int offset, PointFilter? filter, float? minScore,
        Guid? exclude, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var hits = await CollectionSearch.SearchAsync(collection, new VectorQuery(vector, k, offset, filter, minScore), exclude, cancellationToken).ConfigureAwait(false);
        metrics.RecordIndex("search", Stopwatch.GetElapsedTime(started));
        return hits;
    }
}
