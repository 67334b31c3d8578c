using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;

namespace ClipSearch.Engine.Categorization;

/// <summary>
/// Labels the stored images of a collection with a zero-shot classifier, from their stored embeddings (scrolled
/// in batches; no image is decoded again). Each image gets <c>{label, score, runner-up}</c> under the label set,
/// replacing what an earlier run wrote there; other label sets are untouched. Labels are written durably every
/// <see cref="WriteBatchSize"/> images (and when the run ends or is cancelled, so that a cancelled run's counts are what the
/// index holds), and carry the run's id (a hash of model, labels, prompts and thresholds): an interrupted run, started
/// again, skips the images it had finished. With <c>multiLabel</c>, an image also gets every
/// further label that passes the thresholds on its own (see <see cref="ZeroShotClassifier.EffectiveMultiLabel"/>).
/// </summary>
/// <exception cref="ArgumentException">With <c>multiLabel</c>, thresholds that cannot decide each label alone.</exception>
public sealed class Categorizer(IVectorCollection collection, ZeroShotClassifier classifier, string promptKey, Thresholds thresholds, bool multiLabel = false)
{
    public const string DefaultLabelSet = "category";

    /// <summary>Images read and scored together.</summary>
    public int BatchSize { get; init; } = 4096;

    /// <summary>
    /// Labels written together in one durable write to a store that reads in bulk (<see cref="IVectorBatchReader"/>, a local
    /// store: a commit costs a flush to disk, so several read batches share one). A remote store gets each read batch as it
    /// is scored (one request's size is its limit).
    /// </summary>
    public int WriteBatchSize { get; init; } = 65_536;

    /// <summary>The thresholds in effect: those given, else the model family's default.</summary>
    public Thresholds Thresholds { get; } = multiLabel ? classifier.EffectiveMultiLabel(thresholds) : classifier.Effective(thresholds);

    /// <summary>Whether an image gets every label that passes, not only the best.</summary>
    public bool MultiLabel => multiLabel;

    /// <summary>The id every label of this categorization carries.</summary>
    public string RunId => field ??= "zs-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u0001",
        [collection.ModelId, string.Join("\u0002", classifier.Labels), promptKey, .. Key(Thresholds)]))))[..16];

    // An empty minimum probability and a single-label run keep the ids of runs made before they existed.
    private IEnumerable<string> Key(Thresholds t) =>
        new[] { t.MinScore, t.MinMargin }.Select(v => v?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "")
            .Concat(t.MinProbability is { } p ? [p.ToString("R", System.Globalization.CultureInfo.InvariantCulture)] : [])
            .Concat(multiLabel ? ["multi-label"] : []);

    /// <summary>Runs over the images matching <paramref name="filter"/>; with <paramref name="dryRun"/> nothing is written.</summary>
    public async Task<CategorizeSummary> RunAsync(string labelSet, PointFilter? filter, bool dryRun, Action<Categorized>? each = null,
        IProgress<(int Done, long Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        LabelSets.Validate(labelSet);
        var clock = Stopwatch.StartNew();
        var total = await collection.CountAsync(filter, cancellationToken).ConfigureAwait(false);
        var index = classifier.Labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        var counts = new int[classifier.Labels.Count + 1]; // the last slot counts the unlabelled
        int images = 0, alreadyDone = 0;
        var pending = new List<KeyValuePair<Guid, LabelAssignment>>();
        try
        {
            await ReadAllAsync().ConfigureAwait(false);
            await FlushAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            await FlushAsync().ConfigureAwait(false);
            throw new CategorizeCancelledException(Summary(), e);
        }

        return Summary();

        // Batches are written as they are scored: a cancelled run keeps (and counts) the batches written before.
        async Task ReadAllAsync()
        {
            if (collection is IVectorBatchReader bulk)
            {
                // Vectors as rows of one reused buffer: no array per point.
                await bulk.ReadVectorBatchesAsync(filter, BatchSize, (batch, rows) => ProcessAsync(batch, classifier.TagRows(rows, Thresholds, multiLabel)), cancellationToken)
                    .ConfigureAwait(false);
            }
            else
            {
                // The next batch is read from the index while this one is scored and written.
                var pages = collection.ScrollAsync(filter, BatchSize, withVectors: true, cancellationToken).GetAsyncEnumerator(cancellationToken);
                await using var pagesScope = pages.ConfigureAwait(false);
                Task<IReadOnlyList<StoredPoint>?> Fetch() => Task.Run(async () => await pages.MoveNextAsync().ConfigureAwait(false) ? pages.Current : null, cancellationToken);
                var next = Fetch();
                try
                {
                    while (await next.ConfigureAwait(false) is { } batch)
                    {
                        next = Fetch();
                        await ProcessAsync(batch, classifier.TagMany([.. batch.Select(p => p.Vector!)], Thresholds, multiLabel)).ConfigureAwait(false);
                    }
                }
                finally
                {
                    // Never dispose the scroll while a read of it is still running.
                    await next.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                }
            }
        }

        CategorizeSummary Summary()
        {
            var distribution = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < counts.Length; i++)
            {
                if (counts[i] > 0)
                {
                    distribution[i < classifier.Labels.Count ? classifier.Labels[i] : ""] = counts[i];
                }
            }

            return new CategorizeSummary(labelSet, RunId, images, alreadyDone, distribution, clock.Elapsed.TotalSeconds, multiLabel);
        }

        // Counts, writes and reports one batch; results[i] is the decision for batch[i].
        async Task ProcessAsync(IReadOnlyList<StoredPoint> batch, LabelTags[] results)
        {
            var labels = dryRun ? null : pending;
            for (var i = 0; i < batch.Count; i++)
            {
                var point = batch[i];
                if (!dryRun && point.Payload.Labels.TryGetValue(labelSet, out var done) && done.RunId == RunId)
                {
                    // Finished by an earlier run of this same categorization: counted, not redone.
                    alreadyDone++;
                    Count(index.TryGetValue(done.Label, out var known) ? known : counts.Length - 1, done.Also);
                    each?.Invoke(new Categorized(point.Id, point.Payload.FullPath, done.Label, done.Score, done.RunnerUp, done.RunnerUpScore, done.Also));
                    continue;
                }

                var (r, also) = results[i];
                Count(r.Labelled ? r.Best : counts.Length - 1, also);
                var label = r.Labelled ? classifier.Labels[r.Best] : "";
                var runnerUp = r.Second >= 0 ? classifier.Labels[r.Second] : null;
                float? runnerUpScore = r.Second >= 0 ? r.SecondScore : null;
                labels?.Add(new(point.Id, new LabelAssignment(label, r.BestScore, RunId, runnerUp, runnerUpScore, also)));
                each?.Invoke(new Categorized(point.Id, point.Payload.FullPath, label, r.BestScore, runnerUp, runnerUpScore, also));
            }

            if (pending.Count >= (collection is IVectorBatchReader ? WriteBatchSize : 1))
            {
                await FlushAsync().ConfigureAwait(false);
            }

            progress?.Report((images, total));
        }

        // Labels counted are written whole (never cancelled halfway), so a cancelled run's counts are what the index holds.
        async Task FlushAsync()
        {
            if (pending.Count > 0)
            {
                await collection.SetLabelsAsync(labelSet, pending, CancellationToken.None).ConfigureAwait(false);
                pending.Clear();
            }
        }

        // One image, counted under each label it got (a multi-label image under several).
        void Count(int label, IReadOnlyList<ScoredLabel>? also)
        {
            images++;
            counts[label]++;
            foreach (var extra in also ?? [])
            {
                if (index.TryGetValue(extra.Label, out var i))
                {
                    counts[i]++;
                }
            }
        }
    }
}
