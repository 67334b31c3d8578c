using ClipSearch.Engine.Models;
using ClipSearch.SearchApi.Services;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClipSearch.SearchApi.Hosting;

/// <summary>Ready when the model is loaded (it is, once this check can be built), the warm-up search has run and the index answers.</summary>
internal sealed class ReadinessCheck(LoadedModel clip, IndexAccess index, WarmUp warmUp) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["model"] = clip.ModelId, ["device"] = clip.Device, ["index"] = index.Location };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var collections = await index.Store.ListCollectionsAsync(timeout.Token).ConfigureAwait(false);
            data["collections"] = collections.Count;
            if (!warmUp.Done)
            {
                return HealthCheckResult.Unhealthy("warming up: the first search is being run", data: data);
            }

            return HealthCheckResult.Healthy($"model {clip.ModelId} loaded; index at {index.Location} reachable", data);
        }
        catch (Exception e) when (e is Core.Index.VectorStoreException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"index at {index.Location} unreachable: {e.Message}", data: data);
        }
    }
}
