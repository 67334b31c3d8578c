using System.Diagnostics;
using ClipSearch.Core.Index;
using ClipSearch.Indexer.Output;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Bench;

/// <summary>
/// The embedded index at scale on synthetic clustered vectors (<see cref="ClusteredVectors"/>), streamed chunk by chunk
/// into a store in <see cref="Settings.Folder"/>: build time (upserts and the graph, until it is saved), memory after
/// the build, an exact ground truth over the memory-mapped rows, queries/s and recall@k at each ef with and without a
/// filter matching ~10% of the points (a payload field), then a restart: the store closed and opened again, timed until
/// its graph serves searches, and queried again.
/// </summary>
internal sealed class ScaleBenchmark(ScaleBenchmark.Settings settings, IProgress<string> progress)
{
    private const string Collection = "bench";
    private const int Buckets = 10;

    // The filter of the filtered passes: one bucket of ten, the bucket a hash of the point's number (no link to its cluster).
    private static readonly PointFilter Filter = new RangeFilter(NumericField.Height, 0, 0);

    /// <summary>What to generate and measure. <c>Reuse</c>: query the store an earlier run kept in <c>Folder</c> (same rows, clusters and seed) instead of building one; its open is the restart measured.</summary>
    public sealed record Settings(int Rows, int Dimension, int Clusters, int Queries, int Seed, int K, int[] Efs, int EfConstruction,
        int BuildThreads, string Folder, string? Export, bool Reuse = false, int Latent = 0);

    public async Task<ScaleBenchOutput> RunAsync(CancellationToken cancellationToken)
    {
        if (settings.Reuse)
        {
            return await RequeryAsync(cancellationToken).ConfigureAwait(false);
        }

        var vectors = new ClusteredVectors(settings.Dimension, settings.Clusters, settings.Seed, settings.Latent);
        var queries = vectors.Queries(settings.Queries);
        var options = StoreOptions();
        ProcessMemory.ResetPeak();
        var sw = Stopwatch.StartNew();
        double insertSeconds, buildSeconds, truthSeconds;
        ProcessMemory built;
        Guid[][] truth, filteredTruth;
        var passes = new List<ScaleQueryOutput>();
        using (var store = new EmbeddedVectorStore(options))
        {
            var collection = await store.CreateCollectionAsync(Collection, "synthetic", settings.Dimension, cancellationToken).ConfigureAwait(false);
            await InsertAsync(collection, vectors, queries, cancellationToken).ConfigureAwait(false);
            insertSeconds = sw.Elapsed.TotalSeconds;
            var reported = TimeSpan.Zero;
            await store.WaitForApproximateIndexAsync(Collection, saved: true, new Progress<ApproximateIndexProgress>(p =>
            {
                if (sw.Elapsed - reported >= TimeSpan.FromSeconds(30))
                {
                    reported = sw.Elapsed;
                    progress.Report($"graph {p.Held:N0}/{p.Total:N0} at {sw.Elapsed.TotalSeconds:0} s");
                }
            }), cancellationToken).ConfigureAwait(false);
            buildSeconds = sw.Elapsed.TotalSeconds;
            built = ProcessMemory.Now();
            progress.Report($"built in {buildSeconds:0} s; exact ground truth over the mapped rows");
            (truth, filteredTruth, truthSeconds) = await GroundTruthAsync(store, queries, cancellationToken).ConfigureAwait(false);
            passes.AddRange(await MeasureEveryEfAsync(options, collection, queries, truth, filteredTruth, cancellationToken).ConfigureAwait(false));
        }

        // Restart: closing stamps the row file and saves the graph; opening maps the one and reloads the other.
        var again = await OpenAsync(options, cancellationToken).ConfigureAwait(false);
        using var _ = again.Store;
        options.Ann.ExpansionSearch = settings.Efs[0];
        var after = await MeasureAsync(again.Collection, queries, truth, null, settings.Efs[0], cancellationToken).ConfigureAwait(false);
        var perMillion = again.Restarted.AnonMb / (settings.Rows / 1e6);
        return new ScaleBenchOutput(settings.Rows, settings.Dimension, settings.Clusters, settings.Latent, settings.Queries, settings.EfConstruction, settings.BuildThreads,
            Math.Round(insertSeconds, 1), Math.Round(buildSeconds, 1), Math.Round(settings.Rows / buildSeconds, 0), Round(built), Math.Round(truthSeconds, 1), passes,
            Round(again.Closed), Math.Round(again.Seconds, 2), again.RowsRestored, again.GraphReloaded, Round(again.Restarted), after, Math.Round(perMillion, 0));
    }

    private sealed record Opened(EmbeddedVectorStore Store, IVectorCollection Collection, double Seconds, bool RowsRestored, bool GraphReloaded,
        ProcessMemory Closed, ProcessMemory Restarted);

    /// <summary>Opens the store in the folder, timed until its graph serves searches (a restart), with the memory before and after.</summary>
    private static async Task<Opened> OpenAsync(EmbeddedStoreOptions options, CancellationToken cancellationToken)
    {
        var closed = ProcessMemory.Now();
        ProcessMemory.ResetPeak();
        var sw = Stopwatch.StartNew();
        var store = new EmbeddedVectorStore(options);
        await store.WaitForApproximateIndexAsync(Collection, cancellationToken: cancellationToken).ConfigureAwait(false);
        var seconds = sw.Elapsed.TotalSeconds;
        var (rowsRestored, graphReloaded) = await store.DescribeLoadAsync(Collection, cancellationToken).ConfigureAwait(false);
        var collection = await store.OpenCollectionAsync(Collection, null, null, cancellationToken).ConfigureAwait(false);
        return new Opened(store, collection, seconds, rowsRestored, graphReloaded, closed, ProcessMemory.Now());
    }

    /// <summary>Opens the kept store (timed until its graph serves searches, as a restart), checks it holds the rows, and measures every ef on it.</summary>
    private async Task<ScaleBenchOutput> RequeryAsync(CancellationToken cancellationToken)
    {
        var vectors = new ClusteredVectors(settings.Dimension, settings.Clusters, settings.Seed, settings.Latent);
        var queries = vectors.Queries(settings.Queries);
        var options = StoreOptions();
        var (store, collection, restartSeconds, rowsRestored, graphReloaded, closed, restarted) = await OpenAsync(options, cancellationToken).ConfigureAwait(false);
        using var _ = store;
        var count = await collection.CountAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (count != settings.Rows || collection.Dimension != settings.Dimension)
        {
            throw new InvalidDataException($"The store in {settings.Folder} holds {count:N0} points of {collection.Dimension} dimensions, not the {settings.Rows:N0} x {settings.Dimension} asked for: give the --synthetic, --dimension, --clusters, --latent and --seed of the run that kept it.");
        }

        progress.Report($"opened the kept store in {restartSeconds:0.0} s (rows restored: {rowsRestored}, graph reloaded: {graphReloaded}); exact ground truth over the mapped rows");
        var (truth, filteredTruth, truthSeconds) = await GroundTruthAsync(store, queries, cancellationToken).ConfigureAwait(false);
        var passes = await MeasureEveryEfAsync(options, collection, queries, truth, filteredTruth, cancellationToken).ConfigureAwait(false);

        return new ScaleBenchOutput(settings.Rows, settings.Dimension, settings.Clusters, settings.Latent, settings.Queries, settings.EfConstruction, settings.BuildThreads,
            0, 0, 0, Round(restarted), Math.Round(truthSeconds, 1), passes, Round(closed), Math.Round(restartSeconds, 2), rowsRestored, graphReloaded,
            Round(ProcessMemory.Now()), passes[0], Math.Round(restarted.AnonMb / (settings.Rows / 1e6), 0), Reused: true);
    }

    /// <summary>The exact top k of every query, without and with the filter, by brute force over the mapped rows on every core, and the seconds it took.</summary>
    private async Task<(Guid[][] Truth, Guid[][] FilteredTruth, double Seconds)> GroundTruthAsync(EmbeddedVectorStore store, float[][] queries,
        CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        var (truth, filteredTruth) = await GroundTruth.ComputeAsync(store, Collection, queries, settings.K, Filter, Environment.ProcessorCount, cancellationToken)
            .ConfigureAwait(false);
        return (truth, filteredTruth, sw.Elapsed.TotalSeconds);
    }

    private EmbeddedStoreOptions StoreOptions()
    {
        var options = new EmbeddedStoreOptions { Path = settings.Folder, SearchThreads = 1 };
        options.Ann.Threshold = 1;
        options.Ann.ExpansionAdd = settings.EfConstruction;
        options.Ann.BuildThreads = settings.BuildThreads;
        return options;
    }

    /// <summary>A pass without and one with the filter at each ef.</summary>
    private async Task<List<ScaleQueryOutput>> MeasureEveryEfAsync(EmbeddedStoreOptions options, IVectorCollection collection, float[][] queries, Guid[][] truth,
        Guid[][] filteredTruth, CancellationToken cancellationToken)
    {
        var passes = new List<ScaleQueryOutput>();
        foreach (var ef in settings.Efs)
        {
            options.Ann.ExpansionSearch = ef;
            passes.Add(await MeasureAsync(collection, queries, truth, null, ef, cancellationToken).ConfigureAwait(false));
            passes.Add(await MeasureAsync(collection, queries, filteredTruth, Filter, ef, cancellationToken).ConfigureAwait(false));
        }

        return passes;
    }

    private async Task InsertAsync(IVectorCollection collection, ClusteredVectors vectors, float[][] queries, CancellationToken cancellationToken)
    {
        using var export = settings.Export is null ? null : new FvecsExport(settings.Export, queries);
        var chunks = (settings.Rows + ClusteredVectors.ChunkRows - 1) / ClusteredVectors.ChunkRows;
        var sw = Stopwatch.StartNew();
        Task<float[][]> Make(int c) => Task.Run(() => vectors.Chunk(c, Math.Min(ClusteredVectors.ChunkRows, settings.Rows - (c * ClusteredVectors.ChunkRows))), cancellationToken);
        var next = Make(0);
        for (var c = 0; c < chunks; c++)
        {
            var chunk = await next.ConfigureAwait(false);
            next = c + 1 < chunks ? Make(c + 1) : next; // the next chunk is drawn while this one is written
            export?.Write(chunk);
            var first = c * ClusteredVectors.ChunkRows;
            var points = chunk.Select((v, i) => new VectorPoint(IdOf(first + i), v, PayloadOf(first + i))).ToList();
            await collection.UpsertAsync(points, cancellationToken).ConfigureAwait(false);
            if (c % 25 == 0 || c == chunks - 1)
            {
                progress.Report($"upserted {first + chunk.Length:N0}/{settings.Rows:N0} at {sw.Elapsed.TotalSeconds:0} s");
            }
        }
    }

    /// <summary>
    /// An untimed warm-up of 200 queries, then three timed passes over all of them, one at a time: the median pass,
    /// recall from the last. The warm-up asks the opposite vectors, so it warms the code but reads other rows than the
    /// timed queries: the first pass is the first to read its queries' rows.
    /// </summary>
    private async Task<ScaleQueryOutput> MeasureAsync(IVectorCollection collection, float[][] queries, Guid[][] truth, PointFilter? filter, int ef,
        CancellationToken cancellationToken)
    {
        var found = new Guid[queries.Length][];
        var rates = new List<double>();
        var cpuRates = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (var round = 0; round <= 3; round++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var count = round == 0 ? Math.Min(200, queries.Length) : queries.Length;
            for (var q = 0; q < count; q++)
            {
                var query = round == 0 ? queries[q].Select(x => -x).ToArray() : queries[q];
                var hits = await collection.SearchAsync(new VectorQuery(query, settings.K, Filter: filter), cancellationToken).ConfigureAwait(false);
                if (round > 0)
                {
                    found[q] = hits.Select(h => h.Id).ToArray();
                }
            }

            if (round > 0)
            {
                rates.Add(count / sw.Elapsed.TotalSeconds);
                process.Refresh();
                cpuRates.Add(count / Math.Max(1e-6, (process.TotalProcessorTime - cpu).TotalSeconds));
            }
        }

        var recall = Enumerable.Range(0, queries.Length).Average(q => found[q].Intersect(truth[q]).Count() / (double)Math.Max(1, truth[q].Length));
        var missed = Enumerable.Range(0, queries.Length).Count(q => truth[q].Length > 0 && !found[q].Intersect(truth[q]).Any()) / (double)queries.Length;
        var qps = rates.Order().ElementAt(1);
        var cpuQps = cpuRates.Order().ElementAt(1);
        progress.Report($"ef {ef}{(filter is null ? string.Empty : " filtered")}: {qps:N0} queries/s ({cpuQps:N0} per CPU second; first pass {rates[0]:N0}/s), recall@{settings.K} {recall:0.000}, none found {missed:P1}");
        return new ScaleQueryOutput(ef, filter is not null, Math.Round(qps, 0), Math.Round(cpuQps, 0), Math.Round(recall, 4), Math.Round(missed, 4), Math.Round(rates[0], 0));
    }

    private static Guid IdOf(int i) => PointIds.NameBased("bench-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static ImagePayload PayloadOf(int i) => new()
    {
        Path = "v" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Root = "/bench",
        Width = 640,
        Height = (int)(((uint)i * 2654435761u) >> 8) % Buckets,
    };

    private static ScaleMemoryOutput Round(ProcessMemory m) =>
        new(Math.Round(m.RssMb, 0), Math.Round(m.AnonMb, 0), Math.Round(m.FileMb, 0), Math.Round(m.PeakMb, 0), Math.Round(m.ManagedHeapMb, 0));
}
