using System.Collections.Concurrent;
using System.Threading.Channels;
using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Categorization;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// The categorization jobs: which may start, and each one's results. Started jobs go to <see cref="CategorizeJobRunner"/>
/// through <see cref="Started"/>. The most recent <see cref="Kept"/> jobs are kept in memory for their results; older
/// finished ones are forgotten.
/// </summary>
internal sealed class CategorizeJobs
{
    public const int Kept = 32;

    /// <summary>Jobs that may run at once: each holds every image's label in memory until it is forgotten.</summary>
    public const int MaxRunning = 4;

    private readonly ConcurrentDictionary<string, CategorizeJob> _jobs = new(StringComparer.Ordinal);

    // Unbounded, yet never longer than MaxRunning: Start admits no more unfinished jobs than that.
    private readonly Channel<CategorizeRun> _started = Channel.CreateUnbounded<CategorizeRun>();

    /// <summary>The jobs started and not yet taken by the runner, in the order they started.</summary>
    public ChannelReader<CategorizeRun> Started => _started.Reader;

    public CategorizeJob? Find(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>
    /// Starts a job, or says why not: the same collection and label set is being written by a running job, or
    /// <see cref="MaxRunning"/> jobs are running.
    /// </summary>
    /// <exception cref="ArgumentException">With <paramref name="multiLabel"/>, thresholds that cannot decide each label alone.</exception>
    public (CategorizeJob? Job, string? Refusal) Start(IVectorCollection collection, ZeroShotClassifier classifier, string promptKey, Thresholds thresholds,
        string labelSet, PointFilter? filter, bool apply, bool multiLabel = false)
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

            var categorizer = new Categorizer(collection, classifier, promptKey, thresholds, multiLabel);
            Prune();
            var job = new CategorizeJob(Guid.NewGuid().ToString("N"), collection.Name, labelSet, classifier.Labels, apply, multiLabel);
            _jobs[job.Id] = job;
            _started.Writer.TryWrite(new CategorizeRun(job, categorizer, filter));
            return (job, null);
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
}
