using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>The benchmark command on a tiny .fvecs pair: output shape and exactness, never timings.</summary>
public sealed class BenchIndexCommandTests
{
    [Fact]
    public async Task BenchIndex_SmallFvecs_OneJsonObjectPerModeWithExactRecallOne()
    {
        using var temp = new TempModelFolder();
        var random = new Random(5);
        var basePath = Path.Combine(temp.Root, "base.fvecs");
        var queryPath = Path.Combine(temp.Root, "queries.fvecs");
        WriteFvecs(basePath, Enumerable.Range(0, 400).Select(_ => RandomVector(random, 16)).ToList());
        WriteFvecs(queryPath, Enumerable.Range(0, 25).Select(_ => RandomVector(random, 16)).ToList());

        var (exit, stdout, stderr) = await CliRunner.RunAsync("bench", "index", "--base", basePath, "--queries", queryPath, "--mode", "exact", "--mode", "ann", "--json");
        Assert.True(exit == 0, stderr);
        var lines = CliRunner.Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["exact", "ann-ef64"], lines.Select(l => l.GetProperty("mode").GetString()));
        foreach (var l in lines)
        {
            foreach (var field in new[] { "threads", "vectors", "build_seconds", "queries_per_second", "recall_at_10", "peak_rss_mb" })
            {
                Assert.True(l.TryGetProperty(field, out _), $"missing {field}");
            }

            Assert.Equal(400, l.GetProperty("vectors").GetInt32());
        }

        Assert.Equal(1.0, lines[0].GetProperty("recall_at_10").GetDouble());
        Assert.True(lines[0].GetProperty("bound_ratio").GetDouble() > 0); // the exact scan's fraction of the bandwidth bound
        Assert.True(lines[1].GetProperty("recall_at_10").GetDouble() >= 0.9);
    }

    [Fact]
    public async Task BenchIndex_TruncatedFile_ClearError()
    {
        using var temp = new TempModelFolder();
        var path = Path.Combine(temp.Root, "bad.fvecs");
        File.WriteAllBytes(path, [16, 0, 0, 0, 1, 2, 3]);
        var (exit, _, stderr) = await CliRunner.RunAsync("bench", "index", "--base", path, "--queries", path);
        Assert.NotEqual(0, exit);
        Assert.Contains("bad.fvecs", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--build-threads")]
    [InlineData("--clusters")]
    [InlineData("--synthetic")]
    public async Task BenchIndex_Synthetic_ZeroCount_UsageErrorNamingTheOption(string option)
    {
        var values = new Dictionary<string, string> { ["--synthetic"] = "1000", ["--clusters"] = "10", ["--query-count"] = "10", ["--build-threads"] = "1" };
        values[option] = "0";
        var (exit, stdout, stderr) = await CliRunner.RunAsync(["bench", "index", "--json", .. values.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.Equal(2, exit);
        Assert.Contains($"{option} must be at least 1 (got 0)", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Theory]
    [InlineData("33")]
    [InlineData("-1")]
    public async Task BenchIndex_Synthetic_LatentOutsideTheDimension_UsageError(string latent)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(["bench", "index", "--synthetic", "1000", "--dimension", "32", "--latent", latent, "--json"]);
        Assert.Equal(2, exit);
        Assert.Contains($"--latent must be 0 (independent centres) or 1 to the dimension, 32 (got {latent})", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task BenchIndex_SyntheticKeptThenReused_QueriesTheSameStoreWithoutRebuilding()
    {
        using var temp = new TempModelFolder();
        var folder = Path.Combine(temp.Root, "store");
        string[] set = ["--synthetic", "3000", "--clusters", "30", "--dimension", "32", "--query-count", "20", "--ef-construction", "40", "--build-threads", "1"];
        var (exit, stdout, stderr) = await CliRunner.RunAsync(["bench", "index", .. set, "--ef", "64", "--folder", folder, "--keep", "--json"]);
        Assert.True(exit == 0, stderr);
        var built = JsonDocument.Parse(stdout).RootElement;
        Assert.False(built.GetProperty("reused").GetBoolean());

        (exit, stdout, stderr) = await CliRunner.RunAsync(["bench", "index", .. set, "--ef", "64", "--ef", "16", "--folder", folder, "--reuse", "--json"]);
        Assert.True(exit == 0, stderr);
        var reused = JsonDocument.Parse(stdout).RootElement;
        Assert.True(reused.GetProperty("reused").GetBoolean());
        Assert.True(reused.GetProperty("rows_restored").GetBoolean());
        Assert.True(reused.GetProperty("graph_reloaded").GetBoolean());
        var passes = reused.GetProperty("passes").EnumerateArray().ToList();
        Assert.Equal([64, 64, 16, 16], passes.Select(p => p.GetProperty("ef").GetInt32()));
        // A query that found none of its true neighbours adds nothing to recall: the share of them bounds it.
        Assert.All(passes, p => Assert.InRange(p.GetProperty("missed").GetDouble(), 0, 1 - p.GetProperty("recall").GetDouble() + 1e-9));
        Assert.All(passes, p => Assert.True(p.GetProperty("first_pass_queries_per_second").GetDouble() > 0));
        // The same graph and queries: the same recall as the run that built it.
        Assert.Equal(built.GetProperty("passes")[0].GetProperty("recall").GetDouble(), passes[0].GetProperty("recall").GetDouble());
        Assert.True(Directory.Exists(folder));

        // Another set than the store holds: a clear error, not numbers for the wrong truth.
        (exit, _, stderr) = await CliRunner.RunAsync(["bench", "index", "--synthetic", "4000", "--clusters", "30", "--dimension", "32", "--query-count", "20", "--folder", folder, "--reuse"]);
        Assert.Equal(5, exit);
        Assert.Contains("holds 3,000 points of 32 dimensions, not the 4,000 x 32 asked for", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await CliRunner.RunAsync(["bench", "index", .. set, "--folder", Path.Combine(temp.Root, "none"), "--reuse"]);
        Assert.Equal(2, exit);
        Assert.Contains("holds no store", stderr, StringComparison.Ordinal);
    }

    private static float[] RandomVector(Random random, int dimension) => Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();

    private static void WriteFvecs(string path, List<float[]> vectors)
    {
        using var writer = new BinaryWriter(File.Create(path));
        foreach (var v in vectors)
        {
            writer.Write(v.Length);
            foreach (var x in v)
            {
                writer.Write(x);
            }
        }
    }
}
