using System.Diagnostics;
using ClipSearch.Core.Index;
using Xunit.Abstractions;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>
/// A child process upserting batches is killed with SIGKILL at random moments; after each kill the index
/// opens, holds every acknowledged batch whole, no torn batch, and search works. (A batch committed in the
/// instant between its commit and its "ACK" line may also be there, whole: that one was not yet reported.)
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int BatchSize = 20;

    [Fact]
    public async Task Upserts_KilledWithSigkillTenTimes_AcknowledgedBatchesSurviveWhole()
    {
        using var folder = new TempIndexFolder();
        var random = new Random(20261127);
        var acknowledged = new HashSet<int>();
        var inFlight = new HashSet<int>();
        var nextBatch = 0;
        for (var round = 0; round < 10; round++)
        {
            var (acks, ran) = await RunAndKillAsync(folder.Path, nextBatch, TimeSpan.FromMilliseconds(random.Next(150, 900)));
            acknowledged.UnionWith(acks);
            output.WriteLine($"round {round}: started at batch {nextBatch}, {acks.Count} acknowledged, killed after {ran.TotalMilliseconds:0} ms");

            using var store = folder.Open();
            var collection = await store.OpenCollectionAsync("crash", "crash-model", 8);
            var present = new Dictionary<int, int>();
            await foreach (var page in collection.ScrollAsync(batchSize: 500, withVectors: false))
            {
                foreach (var p in page)
                {
                    present[p.Payload.Width] = present.GetValueOrDefault(p.Payload.Width) + 1;
                }
            }

            Assert.All(acknowledged, b => Assert.True(present.TryGetValue(b, out var n) && n == BatchSize, $"acknowledged batch {b} is missing or torn"));
            Assert.All(present, kv => Assert.Equal(BatchSize, kv.Value));
            // Each kill may leave the one batch it interrupted between commit and "ACK": committed, whole, unreported.
            var unreported = present.Keys.Except(acknowledged).Except(inFlight).Order().ToList();
            Assert.True(unreported.Count <= 1, $"batches present without acknowledgement after round {round}: {string.Join(", ", unreported.Take(20))}");
            inFlight.UnionWith(unreported);
            var v = new float[8];
            v[0] = 1f;
            Assert.Equal(Math.Min(5, present.Count * BatchSize), (await collection.SearchAsync(new VectorQuery(v, 5))).Count);
            nextBatch = present.Count == 0 ? nextBatch : present.Keys.Max() + 1;
        }

        Assert.True(acknowledged.Count >= 10, $"only {acknowledged.Count} batches were acknowledged over 10 runs");
    }

    private static async Task<(List<int> Acks, TimeSpan Ran)> RunAndKillAsync(string folder, int firstBatch, TimeSpan runFor)
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "ClipSearch.Storage.CrashWriter.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { writer, folder, "crash", firstBatch.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var acks = new List<int>();
        var ready = await process.StandardOutput.ReadLineAsync();
        Assert.Equal("READY", ready);
        var sw = Stopwatch.StartNew();
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("ACK ", StringComparison.Ordinal))
                {
                    lock (acks)
                    {
                        acks.Add(int.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }
        });
        await Task.Delay(runFor);
        // On Unix, Kill sends SIGKILL: no finally blocks, no flush, no disposal run in the child.
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        await reading;
        lock (acks)
        {
            return (acks.ToList(), sw.Elapsed);
        }
    }
}
