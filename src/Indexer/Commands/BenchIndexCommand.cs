using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Indexer.Bench;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch bench index --base B.fvecs --queries Q.fvecs [--k 10] [--mode exact|ann|auto]... [--threads N] [--json]</c>:
/// builds the embedded index in a temporary folder and prints build time, queries/s (one query at a time per
/// thread), recall@k against exact brute force and peak memory; with --json one object per mode on stdout.
/// <c>--synthetic N</c> instead streams N clustered vectors into a store (see <see cref="ScaleBenchmark"/>).
/// </summary>
internal static class BenchIndexCommand
{
    public static Command Create()
    {
        var baseFile = new Option<FileInfo>("--base") { Description = "Vectors to index (.fvecs)." };
        var queryFile = new Option<FileInfo>("--queries") { Description = "Query vectors (.fvecs)." };
        var k = new Option<int>("--k") { Description = "Neighbours per query.", DefaultValueFactory = _ => 10 };
        var modes = new Option<string[]>("--mode") { Description = "exact, exact-int8, ann or auto (repeatable).", DefaultValueFactory = _ => ["exact", "ann"] };
        modes.AcceptOnlyFromAmong("exact", "exact-int8", "ann", "auto");
        var ef = new Option<int[]>("--ef") { Description = "HNSW search expansion for the ann and auto modes (with --synthetic: repeatable, each measured).", DefaultValueFactory = _ => [64], AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "Concurrent query threads, each running one query at a time.", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("index", "Benchmark the embedded vector index on .fvecs files: build time, queries/s, recall@k, memory.");
        var synthetic = ScaleOptions.Create();
        foreach (var o in new Option[] { baseFile, queryFile, k, modes, ef, threads, json }.Concat(synthetic.All))
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetResult(synthetic.Rows) is not null)
            {
                return await synthetic.RunAsync(parse, parse.GetValue(k), parse.GetValue(ef)!, ct).ConfigureAwait(false);
            }

            if (parse.GetValue(baseFile) is null || parse.GetValue(queryFile) is null)
            {
                await error.WriteLineAsync("bench index: give --base and --queries (.fvecs files), or --synthetic N.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            float[][] baseVectors, queries;
            try
            {
                baseVectors = Fvecs.Read(parse.GetValue(baseFile)!.FullName);
                queries = Fvecs.Read(parse.GetValue(queryFile)!.FullName);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"bench index: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (baseVectors.Length == 0 || queries.Length == 0 || baseVectors[0].Length != queries[0].Length)
            {
                await error.WriteLineAsync("bench index: the base and query files must be non-empty and of the same dimension.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            IndexBenchmark.NormalizeAll(baseVectors);
            IndexBenchmark.NormalizeAll(queries);
            await error.WriteLineAsync($"{baseVectors.Length:N0} base vectors, {queries.Length:N0} queries, dimension {baseVectors[0].Length}; measuring memory bandwidth").ConfigureAwait(false);
            var bandwidth = MemoryBandwidth.MeasureGigabytesPerSecond();
            var bench = new IndexBenchmark(baseVectors, queries, parse.GetValue(k), parse.GetValue(threads), parse.GetValue(ef)![0]);
            await error.WriteLineAsync("computing exact ground truth").ConfigureAwait(false);
            _ = bench.Truth;
            var progress = new Progress<string>(m => error.Write($"\r{m,-60}"));
            foreach (var mode in parse.GetValue(modes)!.Distinct())
            {
                var r = await bench.RunAsync(mode, bandwidth, progress, ct).ConfigureAwait(false);
                await error.WriteLineAsync().ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(BenchIndexOutput.From(r, parse.GetValue(ef)![0]), CliJsonContext.Relaxed.BenchIndexOutput)).ConfigureAwait(false);
                }
                else
                {
                    await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{r.Mode,-6} build {r.BuildSeconds,7:0.0} s  {r.QueriesPerSecond,8:0.0} queries/s  recall@{parse.GetValue(k)} {r.RecallAt10:0.000}  peak {r.PeakRssMb:0} MB (index {r.IndexRssMb:0} MB)  {(r.Mode.StartsWith("exact", StringComparison.Ordinal) ? $"{r.QueriesPerSecond / r.BoundQueriesPerSecond:P0} of the {r.BandwidthGbps:0.0} GB/s bandwidth bound" : string.Empty)}"))
                        .ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
