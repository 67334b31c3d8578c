using System.Text.Json.Serialization;
using ClipSearch.Indexer.Bench;

namespace ClipSearch.Indexer.Output;

/// <summary>One line of <c>bench index --json</c>: one mode's figures; an exact mode's queries/s as a fraction of the bandwidth bound in <c>bound_ratio</c>.</summary>
internal sealed record BenchIndexOutput(string Mode, int Threads, int Vectors, double BuildSeconds, double QueriesPerSecond,
    [property: JsonPropertyName("recall_at_10")] double RecallAt10, double PeakRssMb, double IndexRssMb, double BandwidthGbps,
    [property: JsonPropertyName("bandwidth_bound_qps")] double BandwidthBoundQps, double? BoundRatio)
{
    public static BenchIndexOutput From(IndexBenchmark.Result r, int expansionSearch) => new(
        r.Mode.StartsWith("exact", StringComparison.Ordinal) ? r.Mode : $"{r.Mode}-ef{expansionSearch}", r.Threads, r.Vectors,
        Math.Round(r.BuildSeconds, 2), Math.Round(r.QueriesPerSecond, 1), Math.Round(r.RecallAt10, 4), Math.Round(r.PeakRssMb, 1), Math.Round(r.IndexRssMb, 1),
        Math.Round(r.BandwidthGbps, 2), Math.Round(r.BoundQueriesPerSecond, 1),
        r.Mode.StartsWith("exact", StringComparison.Ordinal) && r.BoundQueriesPerSecond > 0 ? Math.Round(r.QueriesPerSecond / r.BoundQueriesPerSecond, 3) : null);
}
