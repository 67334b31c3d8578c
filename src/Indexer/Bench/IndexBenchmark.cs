using System.Diagnostics;
using System.Numerics.Tensors;
using ClipSearch.Core;
using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Bench;

/// <summary>
/// Builds the embedded index from .fvecs vectors in a temporary folder, then measures one-at-a-time
/// queries per second, recall@k against an exact brute force, build time and memory.
/// </summary>
internal sealed class IndexBenchmark(float[][] baseVectors, float[][] queries, int k, int threads, int expansionSearch = 64)
{
    private int[][]? _truth;

    public sealed record Result(string Mode, int Threads, int Vectors, double BuildSeconds, double QueriesPerSecond, double RecallAt10,
        double PeakRssMb, double IndexRssMb, double BandwidthGbps, double BoundQueriesPerSecond);

    /// <summary>Exact top-k ids by brute force (all cores), independent of the store's own code.</summary>
    public int[][] Truth => _truth ??= ComputeTruth();

    private int[][] ComputeTruth()
    {
        var truth = new int[queries.Length][];
        Parallel.For(0, queries.Length, q =>
        {
            var scores = new float[baseVectors.Length];
            for (var i = 0; i < baseVectors.Length; i++)
            {
                scores[i] = TensorPrimitives.Dot(queries[q], baseVectors[i]);
            }

            truth[q] = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Take(k).ToArray();
        });
        return truth;
    }

    public async Task<Result> RunAsync(string mode, double bandwidth, IProgress<string> progress, CancellationToken cancellationToken)
    {
        _ = Truth;
        _lookup ??= Enumerable.Range(0, baseVectors.Length).ToDictionary(IdOf, i => i); // outside the timed passes
        var folder = Path.Combine(Path.GetTempPath(), "clipsearch-bench-" + Guid.NewGuid().ToString("N"));
        var options = new EmbeddedStoreOptions
        {
            Path = folder,
            SearchThreads = 1,
            SearchMode = mode.StartsWith("exact", StringComparison.Ordinal) ? SearchMode.Exact : SearchMode.Auto,
            ScanPrecision = mode == "exact-int8" ? ScanPrecision.Int8Rerank : ScanPrecision.Full,
        };
        options.Ann.ExpansionSearch = expansionSearch;
        if (mode == "ann")
        {
            options.Ann.Threshold = 1;
        }

        // An aggressive collection returns freed memory to the OS, so the growth measured below is the index's.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        ResetPeakRss();
        var rssBefore = Environment.WorkingSet / 1048576.0;
        try
        {
            using var store = new EmbeddedVectorStore(options);
            var dimension = baseVectors[0].Length;
            var collection = await store.CreateCollectionAsync("bench", "bench", dimension, cancellationToken).ConfigureAwait(false);
            var sw = Stopwatch.StartNew();
            for (var start = 0; start < baseVectors.Length; start += 2000)
            {
                var batch = Enumerable.Range(start, Math.Min(2000, baseVectors.Length - start))
                    .Select(i => new VectorPoint(IdOf(i), baseVectors[i], new ImagePayload { Path = $"v{i}", Root = "/bench", Width = i }))
                    .ToList();
                await collection.UpsertAsync(batch, cancellationToken).ConfigureAwait(false);
                progress.Report($"{mode}: upserted {start + batch.Count:N0}/{baseVectors.Length:N0}");
            }

            if (options.SearchMode != SearchMode.Exact)
            {
                progress.Report($"{mode}: building the HNSW graph");
                await store.WaitForApproximateIndexAsync("bench", saved: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var build = sw.Elapsed.TotalSeconds;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var indexRss = Environment.WorkingSet / 1048576.0 - rssBefore;
            if (options.SearchMode != SearchMode.Exact)
            {
                // Steady state: the background save of a new graph must not compete with the timed rounds.
                await store.WaitForApproximateIndexAsync("bench", saved: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            // An untimed warm-up (the JIT's tiers settle), then timed passes over all queries: the median of three for the
            // graph (a pass takes a fraction of a second), one for exact search; recall from the last pass.
            var found = new int[queries.Length][];
            var rounds = new List<double>();
            var timedRounds = options.SearchMode == SearchMode.Exact ? 1 : 3;
            var peakBefore = 0.0;
            for (var round = 0; round <= timedRounds; round++)
            {
                var next = round == 0 ? Math.Max(-1, queries.Length - 201) : -1;
                if (round == 1 && options.SearchMode == SearchMode.Exact)
                {
                    // The bound is read just before and after the timed pass (other processes sharing the memory bus change
                    // it over a run); its buffer is returned to the OS before the peak is reset, so the peak stays the index's.
                    peakBefore = MemoryBandwidth.PeakRssMegabytes();
                    bandwidth = MemoryBandwidth.MeasureGigabytesPerSecond(rounds: 5);
                    ResetPeakRss();
                }

                sw.Restart();
                await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Run(async () =>
                {
                    int q;
                    while ((q = Interlocked.Increment(ref next)) < queries.Length)
                    {
                        var hits = await collection.SearchAsync(new VectorQuery(queries[q], k), cancellationToken).ConfigureAwait(false);
                        found[q] = hits.Select(h => IndexOf(h.Id)).ToArray();
                    }
                }, cancellationToken))).ConfigureAwait(false);
                if (round > 0)
                {
                    rounds.Add(queries.Length / sw.Elapsed.TotalSeconds);
                    progress.Report($"{mode}: pass {round}/{timedRounds}: {rounds[^1]:N0} queries/s");
                }
            }

            var peak = Math.Max(peakBefore, MemoryBandwidth.PeakRssMegabytes());
            if (options.SearchMode == SearchMode.Exact)
            {
                bandwidth = (bandwidth + MemoryBandwidth.MeasureGigabytesPerSecond(rounds: 5)) / 2;
            }

            var qps = rounds.Order().ElementAt(rounds.Count / 2);
            var recall = Enumerable.Range(0, queries.Length).Average(q => found[q].Intersect(Truth[q]).Count() / (double)k);
            var bytesPerQuery = (double)baseVectors.Length * dimension * sizeof(float);
            return new Result(mode, threads, baseVectors.Length, build, qps, recall, peak, indexRss, bandwidth,
                bandwidth * 1e9 / bytesPerQuery * threads);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Guid IdOf(int i) => PointIds.NameBased("bench-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private int IndexOf(Guid id) => _lookup![id];

    private Dictionary<Guid, int>? _lookup;

    // Linux: writing 5 to clear_refs resets VmHWM, so each mode reports its own peak.
    private static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux or not permitted: the peak then covers the whole process.
        }
    }

    public static void NormalizeAll(float[][] vectors)
    {
        foreach (var v in vectors)
        {
            VectorMath.NormalizeInPlace(v);
        }
    }
}
