using System.Text.Json;
using ClipSearch.Indexer.Cli;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>
/// The real <c>clipsearch</c> process stopped by SIGINT (Ctrl+C) or SIGTERM (a service manager, docker stop): it
/// writes what it finished, prints its summary (and --json), exits 130 or 143, and the rerun completes with nothing lost;
/// <c>--watch</c> stops watching and exits 0.
/// </summary>
public sealed class GracefulStopTests
{
    private const int Images = 1500;

    [Theory]
    [InlineData("INT", false, ExitCodes.Cancelled)]
    [InlineData("TERM", false, ExitCodes.Terminated)]
    [InlineData("INT", true, ExitCodes.Cancelled)] // Ctrl+C in a terminal: the decoder processes get it too, and no file is skipped for it
    public async Task Index_Signal_WritesWhatIsFinished_PrintsTheSummary_AndTheRerunCompletes(string signal, bool group, int expectedExit)
    {
        using var folder = Folder();
        var (exit, stdout, stderr) = await CliProcess.RunSignalledAsync(signal, "indexing ", TimeSpan.FromMilliseconds(1500), group,
            "index", folder.Images, "--store", folder.Store, "--json", "--batch", "8");

        Assert.True(exit == expectedExit, $"exit {exit}: {stderr}");
        var summary = JsonDocument.Parse(Assert.Single(CliRunner.Lines(stdout))).RootElement;
        Assert.True(summary.GetProperty("cancelled").GetBoolean());
        var written = summary.GetProperty("indexed").GetInt32();
        Assert.InRange(written, 0, Images - 1);
        Assert.Contains(CliRunner.Lines(stderr), l => l.StartsWith("cancelled, done so far: ", StringComparison.Ordinal));
        Assert.Equal(written, (await folder.PointsAsync()).Count);

        var (rerun, rerunSummary, rerunErr) = await folder.IndexAsync();
        Assert.True(rerun == 0, rerunErr);
        Assert.Equal(written, rerunSummary.Count("unchanged"));
        Assert.Equal(Images - written, rerunSummary.Count("indexed"));
        Assert.Equal(Images, (await folder.PointsAsync()).Count);
        Assert.Empty(await folder.SkippedAsync());
    }

    [Fact]
    public async Task IndexWatch_CtrlC_StopsWatchingAndExitsZero()
    {
        using var folder = new IndexTestFolder();
        folder.WriteImage("a.png", 1);
        folder.WriteImage("b.png", 2);
        var (exit, stdout, stderr) = await CliProcess.RunSignalledAsync("INT", "watching for changes", TimeSpan.FromMilliseconds(300), true,
            "index", folder.Images, "--store", folder.Store, "--json", "--watch");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Contains("stopped watching", stderr, StringComparison.Ordinal);
        var pass = JsonDocument.Parse(Assert.Single(CliRunner.Lines(stdout))).RootElement;
        Assert.Equal(2, pass.GetProperty("indexed").GetInt32());
    }

    [Fact]
    public async Task Categorize_Cancelled_PrintsTheSummaryAndJson_Exit130_AndTheRerunCompletes()
    {
        using var folder = new IndexTestFolder();
        for (var i = 0; i < 12; i++)
        {
            folder.WriteImage($"img{i}.png", i);
        }

        Assert.Equal(0, (await folder.IndexAsync()).Exit);
        using var cancel = new CancellationTokenSource();
        using var output = new StringWriter();
        using var error = new CancelOnLineWriter(cancel, "categorizing collection");
        var exit = await ClipSearchCli.RunAsync(["categorize", "--store", folder.Store, "--labels", "red,blue", "--json"], output, error, cancel.Token);

        Assert.True(exit == ExitCodes.Cancelled, $"exit {exit}: {error}");
        var summary = JsonDocument.Parse(Assert.Single(CliRunner.Lines(output.ToString()))).RootElement;
        Assert.True(summary.GetProperty("cancelled").GetBoolean());
        Assert.Contains("cancelled (run again to finish", error.ToString(), StringComparison.Ordinal);

        var (rerun, stdout, stderr) = await CliRunner.RunAsync("categorize", "--store", folder.Store, "--labels", "red,blue", "--json");
        Assert.True(rerun == 0, stderr);
        var done = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(12, done.GetProperty("images").GetInt32());
        Assert.False(done.TryGetProperty("cancelled", out _));
    }

    private static IndexTestFolder Folder()
    {
        var folder = new IndexTestFolder();
        for (var i = 0; i < Images; i++)
        {
            folder.WriteImage($"set{i % 5}/img{i:0000}.png", i, 40, 32);
        }

        return folder;
    }
}
