using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Bench;

/// <summary>The options of <c>bench index --synthetic N</c> (the scale benchmark) and running it from them.</summary>
internal sealed class ScaleOptions
{
    private ScaleOptions()
    {
    }

    public Option<int> Rows { get; } = new("--synthetic") { Description = "Stream this many synthetic clustered unit vectors into a store instead of reading .fvecs files." };

    public Option<int> Clusters { get; } = new("--clusters") { Description = "Clusters of the synthetic vectors.", DefaultValueFactory = _ => 1000 };

    public Option<int> Latent { get; } = new("--latent")
    {
        Description = "Draw the cluster centres in a random subspace of this dimension (clusters with near and far neighbours, as embeddings have); 0: independent random centres.",
        DefaultValueFactory = _ => 0,
    };

    public Option<int> Dimension { get; } = new("--dimension") { Description = "Dimension of the synthetic vectors.", DefaultValueFactory = _ => 512 };

    public Option<int> Queries { get; } = new("--query-count") { Description = "Synthetic queries (each with an exact ground truth).", DefaultValueFactory = _ => 1000 };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the synthetic vectors.", DefaultValueFactory = _ => 1 };

    public Option<int> EfConstruction { get; } = new("--ef-construction") { Description = "HNSW candidate list size while building.", DefaultValueFactory = _ => 200 };

    public Option<int> BuildThreads { get; } = new("--build-threads") { Description = "Threads building the graph.", DefaultValueFactory = _ => Environment.ProcessorCount };

    public Option<DirectoryInfo> Folder { get; } = new("--folder") { Description = "Where the store is made (deleted afterwards unless --keep); default: a temporary folder." };

    public Option<bool> Keep { get; } = new("--keep") { Description = "Keep the store folder." };

    public Option<bool> Reuse { get; } = new("--reuse")
    {
        Description = "Query the store an earlier --keep run left in --folder (give its --synthetic, --clusters, --latent, --dimension and --seed) instead of building one; opening it is the restart measured. The folder is kept.",
    };

    public Option<DirectoryInfo> Export { get; } = new("--export") { Description = "Also write the vectors to base.fvecs and queries.fvecs in this folder (for tools/bench/peers.py)." };

    public IEnumerable<Option> All => [Rows, Clusters, Latent, Dimension, Queries, Seed, EfConstruction, BuildThreads, Folder, Keep, Reuse, Export];

    public static ScaleOptions Create() => new();

    public async Task<int> RunAsync(ParseResult parse, int k, int[] efs, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        var reuse = parse.GetValue(Reuse);
        var folder = parse.GetValue(Folder)?.FullName ?? Path.Combine(Path.GetTempPath(), "clipsearch-scale-" + Guid.NewGuid().ToString("N"));
        if (reuse && !File.Exists(Path.Combine(folder, "index.db")))
        {
            await error.WriteLineAsync($"bench index: --reuse needs the --folder of an earlier --keep run; {folder} holds no store.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (!reuse && Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            await error.WriteLineAsync($"bench index: {folder} is not empty; the benchmark makes its store in an empty folder.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        foreach (var option in new[] { Rows, Clusters, Dimension, Queries, EfConstruction, BuildThreads })
        {
            if (parse.GetValue(option) < 1)
            {
                await error.WriteLineAsync($"bench index: {option.Name} must be at least 1 (got {parse.GetValue(option)}).").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }

        if (parse.GetValue(Latent) is var latent && (latent < 0 || latent > parse.GetValue(Dimension)))
        {
            await error.WriteLineAsync($"bench index: --latent must be 0 (independent centres) or 1 to the dimension, {parse.GetValue(Dimension)} (got {latent}).").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var settings = new ScaleBenchmark.Settings(parse.GetValue(Rows), parse.GetValue(Dimension), parse.GetValue(Clusters), parse.GetValue(Queries), parse.GetValue(Seed),
            k, efs, parse.GetValue(EfConstruction), parse.GetValue(BuildThreads), folder, parse.GetValue(Export)?.FullName, reuse, latent);
        var progress = new Progress<string>(m => error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.UtcNow:HH:mm:ss}] {m}")));
        try
        {
            var result = await new ScaleBenchmark(settings, progress).RunAsync(cancellationToken).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result, CliJsonContext.Relaxed.ScaleBenchOutput)).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (Exception e) when (reuse && e is InvalidDataException or ClipSearch.Core.Index.VectorStoreException)
        {
            await error.WriteLineAsync($"bench index: {e.Message}").ConfigureAwait(false);
            return ExitCodes.IndexError;
        }
        finally
        {
            if (!parse.GetValue(Keep) && !reuse)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
