using System.Diagnostics;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
using ClipSearch.Engine.Search;

namespace ClipSearch.SearchApi.Services;

/// <summary>Runs searches against the index, timing the index calls.</summary>
internal sealed class SearchRunner(ApiMetrics metrics, ScoreCalibration calibration)
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

    /// <summary>A page of <paramref name="query"/>'s matches (<see cref="ResultSearch"/>); a calibrated cut-off is calibrated for <paramref name="text"/>'s queries.</summary>
    public async Task<ResultPage> SearchAsync(IVectorCollection collection, ResultQuery query, ITextEncoder text, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var page = await ResultSearch.SearchAsync(collection, query, ct => calibration.ThresholdAsync(collection, text, ct), cancellationToken).ConfigureAwait(false);
        metrics.RecordIndex("search", Stopwatch.GetElapsedTime(started));
        return page;
    }
}
