using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
using ClipSearch.SearchApi.Services;
using Microsoft.Extensions.Logging;

namespace ClipSearch.SearchApi.Tests;

/// <summary>
/// The job registry's limits (jobs hold every image's label in memory, so only a few may run at once) and the
/// background runner: however a run ends, its job ends with it and frees its slot.
/// </summary>
public sealed class CategorizeJobsTests : IAsyncLifetime, IDisposable
{
    private readonly CategorizeJobs _jobs = new();
    private readonly ListLogger<CategorizeJobRunner> _log = new();
    private readonly CategorizeJobRunner _runner;
    private readonly ZeroShotClassifier _classifier = ZeroShotClassifier.FromEmbeddings(["a", "b"], [[1f, 0f], [0f, 1f]], ZeroShotScoring.ClipDefault);

    public CategorizeJobsTests() => _runner = new CategorizeJobRunner(_jobs, _log);

    public Task InitializeAsync() => _runner.StartAsync(CancellationToken.None);

    public Task DisposeAsync() => _runner.StopAsync(CancellationToken.None);

    public void Dispose() => _runner.Dispose();

    /// <summary>A collection of no images whose count is the given function: to stall jobs, or to fail them.</summary>
    private sealed class FakeCollection(Func<CancellationToken, Task<long>> count) : IVectorCollection
    {
        public string Name => "fake";
        public string ModelId => "m";
        public int Dimension => 2;
        public Task<CollectionInfo> GetInfoAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task UpsertAsync(IReadOnlyList<VectorPoint> points, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<long> DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<long> DeleteAsync(PointFilter filter, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<StoredPoint?> GetAsync(Guid id, bool withVector = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<SearchHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public async IAsyncEnumerable<IReadOnlyList<StoredPoint>> ScrollAsync(PointFilter? filter = null, int batchSize = 1000, bool withVectors = true,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            yield break;
        }

        public Task<long> CountAsync(PointFilter? filter = null, CancellationToken cancellationToken = default) => count(cancellationToken);
        public Task SetLabelsAsync(string labelSet, IReadOnlyList<KeyValuePair<Guid, LabelAssignment>> labels, CancellationToken cancellationToken = default) => Task.CompletedTask;
        public Task<long> ClearLabelsAsync(string labelSet, PointFilter? filter = null, CancellationToken cancellationToken = default) => Task.FromResult(0L);
    }

    private static FakeCollection Stalled(Task gate) => new(async ct =>
    {
        await gate.WaitAsync(ct);
        return 0;
    });

    private CategorizeJob? Start(IVectorCollection collection, bool apply = false, string set = "s") =>
        _jobs.Start(collection, _classifier, "k", new Thresholds(), set, null, apply).Job;

    private static async Task<JobSnapshot> EndedAsync(CategorizeJob job)
    {
        for (var i = 0; i < 200 && !job.IsFinished; i++)
        {
            await Task.Delay(25);
        }

        Assert.True(job.IsFinished, "the job is still running after 5 s");
        return job.Snapshot();
    }

    [Fact]
    public async Task Start_MoreThanTheRunningLimitOrTwoWritersOfOneLabelSet_IsRefusedUntilOneEnds()
    {
        var release = new TaskCompletionSource();
        var collection = Stalled(release.Task);

        Assert.NotNull(Start(collection, apply: true));
        var (refused, why) = _jobs.Start(collection, _classifier, "k", new Thresholds(), "s", null, apply: true);
        Assert.Null(refused);
        Assert.Contains("being written by another job", why);

        for (var i = 1; i < CategorizeJobs.MaxRunning; i++)
        {
            Assert.NotNull(Start(collection));
        }

        var (overLimit, limitWhy) = _jobs.Start(collection, _classifier, "k", new Thresholds(), "other", null, apply: false);
        Assert.Null(overLimit);
        Assert.Contains($"{CategorizeJobs.MaxRunning} categorization jobs are running", limitWhy);

        // Released, the jobs finish (an empty collection) and make room, for a writer of the same set too.
        release.SetResult();
        CategorizeJob? again = null;
        for (var i = 0; i < 100 && (again = Start(collection, apply: true)) is null; i++)
        {
            await Task.Delay(50);
        }

        Assert.NotNull(again);
        Assert.Equal(CategorizeJobState.Completed, (await EndedAsync(again)).State);
    }

    [Fact]
    public async Task Run_CollectionThrowsUnexpectedly_EndsFailedWithANeutralMessageAndFreesItsSlot()
    {
        const string LibraryText = "Object reference not set to an instance of an object (secret connection string)";
        var broken = new FakeCollection(_ => throw new InvalidOperationException(LibraryText));
        var failed = Enumerable.Range(0, CategorizeJobs.MaxRunning).Select(_ => Start(broken)).ToList();
        Assert.All(failed, Assert.NotNull);

        foreach (var job in failed)
        {
            var ended = await EndedAsync(job!);
            Assert.Equal(CategorizeJobState.Failed, ended.State);
            Assert.Equal(CategorizeJobRunner.UnexpectedFailure, ended.Error); // the library's text stays in the log
        }

        // Logged once per job, with the exception for the operator.
        var logged = _log.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.Equal(failed.Count, logged.Count);
        Assert.All(logged, e => Assert.Equal(LibraryText, e.Exception?.Message));
        Assert.All(failed, j => Assert.Contains(logged, e => e.Message.Contains(j!.Id, StringComparison.Ordinal)));

        // Every slot is free again: a fifth job starts and runs to its end.
        var fifth = Start(new FakeCollection(_ => Task.FromResult(0L)));
        Assert.NotNull(fifth);
        Assert.Equal(CategorizeJobState.Completed, (await EndedAsync(fifth)).State);
    }

    [Fact]
    public async Task Run_IndexFails_EndsFailedWithTheIndexMessage()
    {
        var unreachable = new FakeCollection(_ => throw new VectorStoreException(VectorStoreErrorKind.Unavailable, "the index at /x cannot be reached."));
        var ended = await EndedAsync(Start(unreachable)!);
        Assert.Equal(CategorizeJobState.Failed, ended.State);
        Assert.Equal("the index at /x cannot be reached.", ended.Error);
    }

    [Fact]
    public async Task Cancel_RunningJob_EndsCancelled()
    {
        var never = new TaskCompletionSource();
        var dry = Start(Stalled(never.Task))!;
        var writer = Start(Stalled(never.Task), apply: true)!;
        await dry.Cancellation.CancelAsync();
        await writer.Cancellation.CancelAsync();

        var (dryEnd, writerEnd) = (await EndedAsync(dry), await EndedAsync(writer));
        Assert.Equal(CategorizeJobState.Cancelled, dryEnd.State);
        Assert.Equal("Cancelled.", dryEnd.Error);
        Assert.Equal(CategorizeJobState.Cancelled, writerEnd.State);
        Assert.Contains("running the same categorization again resumes", writerEnd.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_HostStopping_CancelsRunningJobs()
    {
        var never = new TaskCompletionSource();
        var jobs = Enumerable.Range(0, CategorizeJobs.MaxRunning).Select(_ => Start(Stalled(never.Task))!).ToList();
        while (_jobs.Started.Count > 0)
        {
            await Task.Delay(10); // every job taken by a slot, so that stopping cancels running ones, not queued ones
        }

        await _runner.StopAsync(CancellationToken.None);

        Assert.All(jobs, j => Assert.Equal(CategorizeJobState.Cancelled, j.Snapshot().State));
    }
}
