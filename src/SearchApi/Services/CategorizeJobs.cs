using System.Collections.Concurrent;
using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Categorization;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// Categorization jobs run in the background, one at a time per collection and label set. The most recent
/// <see cref="Kept"/> jobs are kept in memory for their results; older finished ones are forgotten.
/// </summary>
internal sealed partial class CategorizeJobs(ILogger<CategorizeJobs> logger) : IDisposable
{
    public const int Kept = 32;

    /// <summary>Jobs that may run at once: each holds every image's label in memory until it is forgotten.</summary>
    public const int MaxRunning = 4;

    private readonly ConcurrentDictionary<string, CategorizeJob> _jobs = new(StringComparer.Ordinal);

    public CategorizeJob? Find(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>
    /// Starts a job, or says why not: the same collection and label set is being written by a running job, or
    /// <see cref="MaxRunning"/> jobs are running.
    /// </summary>
    public (CategorizeJob? Job, string? Refusal) Start(IVectorCollection collection, ZeroShotClassifier classifier, string promptKey, Thresholds thresholds,
        string labelSet, PointFilter? filter, bool apply)
    {
        lock (_jobs)
        {
            if (apply && _jobs.Values.Any(j => !j.IsFinished && j.Apply && j.Collection == collection.Name && j.LabelSet == labelSet))
            {
                return (null, $"labels of set '{labelSet}' in '{collection.Name}' are being written by another job; wait for it or cancel it.");
            }

            if (_jobs.Values.Count(j => !j.IsFinished) >= MaxRunning)
            {
                return (null, $"{MaxRunning} categorization jobs are running; wait for one to finish or cancel one.");
            }

            Prune();
            var job = new CategorizeJob(Guid.NewGuid().ToString("N"), collection.Name, labelSet, classifier.Labels, apply);
            _jobs[job.Id] = job;
            _ = Task.Run(() => RunAsync(job, new Categorizer(collection, classifier, promptKey, thresholds), filter));
            return (job, null);
        }
    }

    private async Task RunAsync(CategorizeJob job, Categorizer categorizer, PointFilter? filter)
    {
        try
        {
            var summary = await categorizer.RunAsync(job.LabelSet, filter, dryRun: !job.Apply, job.Add, new SyncProgress(job), job.Cancellation.Token)
                .ConfigureAwait(false);
            job.Complete(summary);
        }
        catch (OperationCanceledException)
        {
            job.Fail("cancelled", job.Apply ? "Cancelled; the batches written before stayed written, and running the same categorization again resumes." : "Cancelled.");
        }
        catch (VectorStoreException e)
        {
            LogFailed(logger, job.Id, e.Message);
            job.Fail("failed", e.Message);
        }
    }

    private void Prune()
    {
        foreach (var old in _jobs.Values.Where(j => j.IsFinished).OrderByDescending(j => j.CreatedAt).Skip(Kept - 1).ToList())
        {
            _jobs.TryRemove(old.Id, out _);
            old.Cancellation.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var job in _jobs.Values)
        {
            job.Cancellation.Cancel();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Categorization job {JobId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string jobId, string reason);

    /// <summary>Progress reported straight into the job, on the reporting thread.</summary>
    private sealed class SyncProgress(CategorizeJob job) : IProgress<(int Done, long Total)>
    {
        public void Report((int Done, long Total) value) => job.Report(value);
    }
}
