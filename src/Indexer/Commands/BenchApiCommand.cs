using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ClipSearch.Core.Index;
using ClipSearch.Indexer.Bench;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch bench api</c>: text-search latency and throughput through the Search API (GET /api/search) against
/// the same queries encoded and searched in this process, on one embedded collection of N points (filled with
/// clustered unit vectors when missing). tools/bench/api.sh starts the API and runs it.
/// </summary>
internal static class BenchApiCommand
{
    private static readonly string[] Colours = ["red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink"];
    private static readonly string[] Shapes = ["circle", "square", "star", "triangle"];

    public static Command Create()
    {
        var model = new ModelOptions();
        var store = new Option<DirectoryInfo>("--store") { Description = "Embedded index folder for the benchmark collection.", Required = true };
        var collectionName = new Option<string>("--collection") { Description = "Collection name.", DefaultValueFactory = _ => "bench-api" };
        var images = new Option<int>("--images") { Description = "Points in the collection (created when missing).", DefaultValueFactory = _ => 100_000 };
        var url = new Option<Uri?>("--url") { Description = "Base URL of a running Search API over --store; without it only the in-process side runs.", CustomParser = CommonOptions.ParseUrl };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients.", DefaultValueFactory = _ => 16 };
        var seconds = new Option<int>("--seconds") { Description = "Duration of each concurrent run.", DefaultValueFactory = _ => 60 };
        var json = CommonOptions.Json();
        var command = new Command("api", "Time text search through the Search API against the same work in-process (latency p50/p99, throughput, errors).");
        model.AddTo(command);
        foreach (var option in new Option[] { store, collectionName, images, url, clients, seconds, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            using var engine = CliEngine.Create(parse, model);
            // The model itself, without the engine's text cache: each in-process query is encoded, as it was when the
            // figures in docs/BENCHMARKS.md were measured.
            var clip = engine.Model;
            using var index = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = parse.GetValue(store)!.FullName });
            var name = parse.GetValue(collectionName)!;
            var collection = await FillAsync(index, name, clip.ModelId, clip.Dimension, parse.GetValue(images), parse.InvocationConfiguration.Error, ct).ConfigureAwait(false);
            var count = await collection.CountAsync(null, ct).ConfigureAwait(false);
            var queries = (from c in Colours from s in Shapes from n in Enumerable.Range(1, 8) select $"a photo of {n} {c} {s}s.").ToArray();
            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            var concurrency = parse.GetValue(clients);

            async Task InProcess(string q)
            {
                var vector = clip.Encode([q], ct)[0];
                GC.KeepAlive(await collection.SearchAsync(new VectorQuery(vector, 20), ct).ConfigureAwait(false));
            }

            var error = parse.InvocationConfiguration.Error;
            await error.WriteLineAsync($"bench api: {count:N0} points; in-process, 1 client then {concurrency}...").ConfigureAwait(false);
            var local1 = await LoadRun.RunAsync(1, duration / 4, queries, InProcess, ct).ConfigureAwait(false);
            var localN = await LoadRun.RunAsync(concurrency, duration, queries, InProcess, ct).ConfigureAwait(false);
            LoadRun.Result? http1 = null, httpN = null, floor = null;
            if (parse.GetValue(url) is { } baseUrl)
            {
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = baseUrl };
                async Task OverHttp(string q)
                {
                    using var response = await http.GetAsync(new Uri($"/api/search?collection={Uri.EscapeDataString(name)}&k=20&q={Uri.EscapeDataString(q)}", UriKind.Relative), ct)
                        .ConfigureAwait(false);
                    var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode || body.Length == 0)
                    {
                        throw new HttpRequestException($"{(int)response.StatusCode}");
                    }
                }

                async Task Floor(string _)
                {
                    using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative), ct).ConfigureAwait(false);
                    GC.KeepAlive(await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false));
                }

                await error.WriteLineAsync($"bench api: over HTTP at {baseUrl}, 1 client then {concurrency}...").ConfigureAwait(false);
                await LoadRun.RunAsync(1, TimeSpan.FromSeconds(3), queries, OverHttp, ct).ConfigureAwait(false); // warm-up: JIT, connections
                floor = await LoadRun.RunAsync(1, duration / 4, queries, Floor, ct).ConfigureAwait(false);
                http1 = await LoadRun.RunAsync(1, duration / 4, queries, OverHttp, ct).ConfigureAwait(false);
                httpN = await LoadRun.RunAsync(concurrency, duration, queries, OverHttp, ct).ConfigureAwait(false);
                if (new[] { floor, http1, httpN }.FirstOrDefault(r => r.Requests == 0) is { } empty)
                {
                    // No answer at all: there is no latency to report (and a NaN percentile is not JSON).
                    await error.WriteLineAsync($"bench api: every request to {baseUrl} failed ({empty.Errors} errors): is a Search API over --store listening there, with rate limiting off (--ClipSearch:RequestsPerMinute=0)?")
                        .ConfigureAwait(false);
                    return ExitCodes.PartialFailure;
                }
            }

            var measured = new BenchApiOutput("text search through the Search API vs in-process", count, clip.Dimension, clip.ModelId, concurrency, duration.TotalSeconds);
            measured.Add("in_process_1_client", local1);
            measured.Add($"in_process_{concurrency}_clients", localN);
            if (http1 is not null && httpN is not null)
            {
                measured.Add("http_floor_health_live_1_client", floor!);
                measured.Add("http_1_client", http1);
                measured.Add($"http_{concurrency}_clients", httpN);
                measured.Add("p50_overhead_1_client", http1.P50 / local1.P50);
                measured.Add($"p50_overhead_{concurrency}_clients", httpN.P50 / localN.P50);
                measured.Add("throughput_ratio", httpN.PerSecond / localN.PerSecond);
            }

            var line = JsonSerializer.Serialize(measured, CliJsonContext.Relaxed.BenchApiOutput);
            await (parse.GetValue(json) ? parse.InvocationConfiguration.Output : error).WriteLineAsync(line).ConfigureAwait(false);
            return httpN is { Errors: > 0 } ? ExitCodes.PartialFailure : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The collection, filled with <paramref name="images"/> clustered unit vectors when it does not exist, its graph built.</summary>
    private static async Task<IVectorCollection> FillAsync(EmbeddedVectorStore store, string name, string modelId, int dimension, int images, TextWriter error,
        CancellationToken ct)
    {
        if ((await store.ListCollectionsAsync(ct).ConfigureAwait(false)).Any(c => c.Name == name))
        {
            return await store.OpenCollectionAsync(name, modelId, dimension, ct).ConfigureAwait(false);
        }

        var collection = await store.CreateCollectionAsync(name, modelId, dimension, ct).ConfigureAwait(false);
        var random = new Random(7);
        var centres = Enumerable.Range(0, 64).Select(_ => SyntheticVectors.Unit(random, dimension, null, 0)).ToArray();
        for (var start = 0; start < images; start += 5000)
        {
            await collection.UpsertAsync([.. Enumerable.Range(start, Math.Min(5000, images - start)).Select(i => new VectorPoint(PointIds.NameBased("bench-api\n" + i),
                SyntheticVectors.Unit(random, dimension, centres[i % centres.Length], 0.5f),
                new ImagePayload { Root = "/bench", Path = $"{i % 100}/img{i}.jpg", Format = "jpeg", Width = 640, Height = 480, SizeBytes = 100_000, ModifiedAt = DateTimeOffset.UnixEpoch }))],
                ct).ConfigureAwait(false);
            await error.WriteLineAsync($"bench api: filled {Math.Min(images, start + 5000):N0}/{images:N0}").ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        await store.WaitForApproximateIndexAsync(name, saved: true, cancellationToken: ct).ConfigureAwait(false);
        await error.WriteLineAsync($"bench api: approximate index built in {clock.Elapsed.TotalSeconds:0} s").ConfigureAwait(false);
        return collection;
    }
}
