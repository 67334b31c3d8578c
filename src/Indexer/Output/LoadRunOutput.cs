using ClipSearch.Indexer.Bench;

namespace ClipSearch.Indexer.Output;

/// <summary>One load run of <c>bench api</c>: requests, failures, throughput and latency percentiles in milliseconds.</summary>
internal sealed record LoadRunOutput(int Requests, int Errors, double PerSecond, double P50Ms, double P99Ms)
{
    public static LoadRunOutput From(LoadRun.Result r) => new(r.Requests, r.Errors, Math.Round(r.PerSecond, 1), Math.Round(r.P50, 3), Math.Round(r.P99, 3));
}
