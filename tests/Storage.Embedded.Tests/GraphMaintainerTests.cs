using System.Collections.Concurrent;
using ClipSearch.Storage.Embedded.Ann;
using Microsoft.Extensions.Logging.Abstractions;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>
/// The background maintenance of a collection's graph, on a table of its own and a graph whose adds the test holds
/// or fails: waiters wake when the loop catches up or saves (not on a timer), can be cancelled, and see its errors.
/// </summary>
public sealed class GraphMaintainerTests
{
    private const int Points = 300;
    private const string Current = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task WaitUntilCaughtUpAsync_GraphBusy_WaitsWithoutPollingThenCompletesWhenItCatchesUp()
    {
        using var rig = new Rig(holdAdds: true);
        var progress = new RecordingProgress();

        var wait = rig.Maintainer.WaitUntilCaughtUpAsync(rig.Timeout, progress);
        Assert.True(rig.Factory.AddStarted.Wait(TimeSpan.FromSeconds(30)), "the loop never began to add");

        // While the graph is held nothing wakes the waiter: it reported once, when it began (a 20 ms poller would have
        // reported about ten times by now, and would go on doing so).
        await Task.Delay(200);
        Assert.False(wait.IsCompleted);
        Assert.Equal([new ApproximateIndexProgress(0, Points)], progress.Reports);

        rig.Factory.AddGate.Set();
        await wait;
        Assert.Equal(Points, Assert.Single(rig.Factory.Graphs).Count);
        Assert.Same(rig.Factory.Graphs[0], rig.Maintainer.Index);
    }

    [Fact]
    public async Task WaitUntilCaughtUpAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var rig = new Rig(holdAdds: true);
        using var cancel = new CancellationTokenSource();

        var wait = rig.Maintainer.WaitUntilCaughtUpAsync(cancel.Token);
        Assert.True(rig.Factory.AddStarted.Wait(TimeSpan.FromSeconds(30)), "the loop never began to add");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Null(rig.Maintainer.Index);
    }

    [Fact]
    public async Task WaitUntilCaughtUpAsync_BackgroundPassFails_ThrowsItsError()
    {
        using var rig = new Rig();
        rig.Factory.AddFailure = new InvalidDataException("the graph broke");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Maintainer.WaitUntilCaughtUpAsync(rig.Timeout));
        Assert.Contains("the graph broke", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, rig.Maintainer.LastError);
        Assert.Null(rig.Maintainer.Index);
    }

    [Fact]
    public async Task WaitUntilSavedAsync_GraphCatchesUp_SavedFileHoldsEveryKeyAtTheTablesSequenceNumber()
    {
        using var rig = new Rig();

        await rig.Maintainer.WaitUntilSavedAsync(rig.Timeout);
        Assert.False(rig.Maintainer.Behind);
        var (saved, seq) = rig.File.TryLoad(Current, stream => rig.Factory.Load(stream, Dimension)) ?? throw new InvalidOperationException("no saved graph");
        Assert.Equal(7, seq);
        Assert.Equal(Enumerable.Range(0, Points).Select(i => (ulong)i), ((FakeGraph)saved).Keys());
    }

    [Fact]
    public async Task WaitUntilCaughtUpAsync_MaintenanceStopped_ThrowsObjectDisposed()
    {
        // A table not loaded yet (no generation) gets no graph, so the wait can only end by the stop.
        using var rig = new Rig(generation: string.Empty);

        var wait = rig.Maintainer.WaitUntilCaughtUpAsync(rig.Timeout);
        rig.Maintainer.Stop();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => wait);
        Assert.Empty(rig.Factory.Graphs);
    }

    /// <summary>A table of <see cref="Points"/> points (sequence number 7), its maintainer, a fake graph factory and a folder, all of one test.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly TempIndexFolder _folder = new();
        private readonly VectorTable _table;
        private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

        public Rig(string generation = Current, bool holdAdds = false)
        {
            _table = new VectorTable(Dimension, new RowFiles(_folder.Path, "g"));
            using (_table.WriteLock())
            {
                _table.OpenRows(generation);
                for (var i = 0; i < Points; i++)
                {
                    _table.Upsert(Guid.NewGuid(), key: i, rowSeq: 7, AtAngle(i * 0.3), Payload($"p{i}.jpg"));
                }

                _table.Seq = 7;
                _table.Generation = generation;
            }

            if (holdAdds)
            {
                Factory.AddGate.Reset();
            }

            File = new GraphFile(_folder.Path, "g");
            Maintainer = new GraphMaintainer(_table, new AnnOptions { Threshold = 100, BuildThreads = 2 }, Factory, File, "g", NullLogger.Instance);
        }

        public FakeGraphFactory Factory { get; } = new();

        public GraphFile File { get; }

        public GraphMaintainer Maintainer { get; }

        public CancellationToken Timeout => _timeout.Token;

        public void Dispose()
        {
            // Adds go through (held or failing ones would hold up or fail the final catch-up of disposal).
            Factory.AddFailure = null;
            Factory.AddGate.Set();
            Maintainer.Dispose();
            _table.Dispose();
            Factory.Dispose();
            _timeout.Dispose();
            _folder.Dispose();
        }
    }

    /// <summary>Records reports as they are made (<see cref="Progress{T}"/> would post them to the pool, in no set order).</summary>
    private sealed class RecordingProgress : IProgress<ApproximateIndexProgress>
    {
        private readonly ConcurrentQueue<ApproximateIndexProgress> _reports = new();

        public ApproximateIndexProgress[] Reports => [.. _reports];

        public void Report(ApproximateIndexProgress value) => _reports.Enqueue(value);
    }
}
