using System.Text.Json;
using ClipSearch.Indexing.Tests;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>A <see cref="TestImageFolder"/> with helpers to run the CLI on it.</summary>
internal sealed class IndexTestFolder : TestImageFolder
{
    /// <summary>Runs <c>clipsearch index</c> on <see cref="TestImageFolder.Images"/> (plus <paramref name="extra"/> options) and parses the --json summary.</summary>
    public async Task<(int Exit, JsonElement Summary, string Err)> IndexAsync(params string[] extra)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(["index", Images, "--store", Store, "--json", .. extra]);
        var lines = CliRunner.Lines(stdout);
        return (exit, lines.Length > 0 ? JsonDocument.Parse(lines[^1]).RootElement.Clone() : default, stderr);
    }

    /// <summary>The skipped list through <c>clipsearch skipped --json</c>: relative path, reason, detail.</summary>
    public async Task<List<(string Path, string Reason, string Detail)>> SkippedAsync()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("skipped", "--store", Store, "--json");
        Assert.Equal(0, exit);
        return [.. JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(e => (
            Path.GetRelativePath(Images, e.GetProperty("path").GetString()!).Replace('\\', '/'),
            e.GetProperty("reason").GetString()!,
            e.GetProperty("detail").GetString()!))];
    }
}

internal static class SummaryExtensions
{
    public static int Count(this JsonElement summary, string key) => summary.GetProperty(key).GetInt32();

    public static int Skipped(this JsonElement summary, string reason) =>
        summary.GetProperty("skipped").TryGetProperty(reason, out var n) ? n.GetInt32() : 0;
}

internal static partial class StderrSummary
{
    /// <summary>Images run through the model, from the "done:" line on stderr.</summary>
    public static int Encoded(string stderr)
    {
        var match = EncodedPattern().Matches(stderr).LastOrDefault();
        Assert.True(match is not null, "no 'N images encoded' in: " + stderr);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(\d+) images encoded")]
    private static partial System.Text.RegularExpressions.Regex EncodedPattern();
}
