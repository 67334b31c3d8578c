using System.Diagnostics;

namespace ClipSearch.Indexer.Bench;

/// <summary>A closed-loop load run: N clients each sending the next query as soon as the last one answered, for a duration.</summary>
internal static class LoadRun
{
    /// <summary>Latencies in milliseconds (p50, p99), completed requests per second, and failed requests.</summary>
    public sealed record Result(int Requests, int Errors, double PerSecond, double P50, double P99);

    public static async Task<Result> RunAsync(int clients, TimeSpan duration, IReadOnlyList<string> queries, Func<string, Task> send, CancellationToken ct)
    {
        var latencies = new List<double>[clients];
        var errors = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = [];
            while (clock.Elapsed < duration)
            {
                var query = queries[(int)((uint)Interlocked.Increment(ref next) % queries.Count)];
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await send(query).ConfigureAwait(false);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, ct))).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Result(all.Count, errors, all.Count / elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
