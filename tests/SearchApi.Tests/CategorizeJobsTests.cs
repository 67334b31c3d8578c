using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
using ClipSearch.SearchApi.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClipSearch.SearchApi.Tests;

/// <summary>The job registry's limits: jobs hold every image's label in memory, so only a few may run at once.</summary>
public sealed class CategorizeJobsTests
{
    /// <summary>A collection whose count waits for a signal, so that jobs on it stay running as long as the test needs.</summary>
    private sealed class StalledCollection(Task gate) : IVectorCollection
    {
        public string Name => "stalled";
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

        public async Task<long> CountAsync(PointFilter? filter = null, CancellationToken cancellationToken = default)
        {
            await gate.WaitAsync(cancellationToken);
            return 0;
        }

        public Task SetLabelsAsync(string labelSet, IReadOnlyList<KeyValuePair<Guid, LabelAssignment>> labels, CancellationToken cancellationToken = default) => Task.CompletedTask;
        public Task<long> ClearLabelsAsync(string labelSet, PointFilter? filter = null, CancellationToken cancellationToken = default) => Task.FromResult(0L);
    }

    [Fact]
    public async Task Start_MoreThanTheRunningLimitOrTwoWritersOfOneLabelSet_IsRefusedUntilOneEnds()
    {
        var release = new TaskCompletionSource();
        var collection = new StalledCollection(release.Task);
        var classifier = ZeroShotClassifier.FromEmbeddings(["a", "b"], [[1f, 0f], [0f, 1f]], ZeroShotScoring.ClipDefault);
        using var jobs = new CategorizeJobs(NullLogger<CategorizeJobs>.Instance);
        CategorizeJob? Start(bool apply, string set = "s") => jobs.Start(collection, classifier, "k", new Thresholds(), set, null, apply).Job;

        Assert.NotNull(Start(apply: true));
        var (refused, why) = jobs.Start(collection, classifier, "k", new Thresholds(), "s", null, apply: true);
        Assert.Null(refused);
        Assert.Contains("being written by another job", why);

        for (var i = 1; i < CategorizeJobs.MaxRunning; i++)
        {
            Assert.NotNull(Start(apply: false));
        }

        var (overLimit, limitWhy) = jobs.Start(collection, classifier, "k", new Thresholds(), "other", null, apply: false);
        Assert.Null(overLimit);
        Assert.Contains($"{CategorizeJobs.MaxRunning} categorization jobs are running", limitWhy);

        // Released, the jobs finish (an empty collection) and make room, for a writer of the same set too.
        release.SetResult();
        CategorizeJob? again = null;
        for (var i = 0; i < 100 && (again = Start(apply: true)) is null; i++)
        {
            await Task.Delay(50);
        }

        Assert.NotNull(again);
    }
}
