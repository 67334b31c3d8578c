using System.Diagnostics;

namespace ClipSearch.Indexer.Tests.Commands;

public sealed class WatchTests
{
    [Fact]
    public async Task IndexWatch_FilesAddedChangedAndDeletedAfterTheFirstPass_AreFollowedUntilStopped()
    {
        using var folder = new IndexTestFolder();
        folder.WriteImage("first.png", 1);
        folder.WriteImage("doomed.png", 2);
        using var stop = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var run = Task.Run(() => ClipSearchCli.RunAsync(["index", folder.Images, "--store", folder.Store, "--watch", "--json"], stdout, stderr, stop.Token));

        await WaitForAsync(folder, points => points.Count == 2, run);
        folder.WriteImage("sub/added.png", 3);
        File.Delete(folder.PathOf("doomed.png"));
        await WaitForAsync(folder, points => points.ContainsKey("sub/added.png") && !points.ContainsKey("doomed.png"), run);

        var before = (await folder.PointsAsync())["first.png"].Payload.ContentHash;
        folder.WriteImage("first.png", 4);
        await WaitForAsync(folder, points => points["first.png"].Payload.ContentHash != before, run);

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        var text = stderr.ToString();
        Assert.Contains("watching for changes", text, StringComparison.Ordinal);
        Assert.Contains("stopped watching", text, StringComparison.Ordinal);
        Assert.True(CliRunner.Lines(stdout.ToString()).Length >= 3, "one JSON summary per pass");
    }

    private static async Task WaitForAsync(IndexTestFolder folder, Func<Dictionary<string, Core.Index.StoredPoint>, bool> condition, Task<int> run)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(run.IsCompleted, "the watching indexer stopped by itself");
            try
            {
                if (condition(await folder.PointsAsync()))
                {
                    return;
                }
            }
            catch (Core.Index.VectorStoreException)
            {
                // not created yet
            }

            await Task.Delay(200);
        }

        Assert.Fail("the index did not follow the change within 60 s");
    }
}
