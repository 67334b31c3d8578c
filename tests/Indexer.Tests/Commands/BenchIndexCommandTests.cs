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
