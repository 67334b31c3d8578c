using ClipSearch.Engine.Categorization;

namespace ClipSearch.SearchApi.Services;

/// <summary>One categorization run of the API: its progress while it runs, then its distribution and every image's label.</summary>
internal sealed class CategorizeJob(string id, string collection, string labelSet, IReadOnlyList<string> labels, bool apply, bool multiLabel = false)
{
    private readonly List<Categorized> _rows = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _done;
    private long _total;

    public string Id { get; } = id;

    public string Collection { get; } = collection;

    public string LabelSet { get; } = labelSet;

    public IReadOnlyList<string> Labels { get; } = labels;

    /// <summary>Whether the labels are written to the index (else a dry run: look, then apply).</summary>
    public bool Apply { get; } = apply;

    /// <summary>Whether an image gets every label that passes (and is counted, and shown, under each).</summary>
    public bool MultiLabel { get; } = multiLabel;

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    public CancellationTokenSource Cancellation { get; } = new();

    private CategorizeJobState _state = CategorizeJobState.Running;
    private string? _error;
    private CategorizeSummary? _summary;
    private (Categorized[] All, Dictionary<string, Categorized[]> ByLabel)? _gallery;

    public bool IsFinished
    {
        get
        {
            lock (_gate)
            {
                return _state != CategorizeJobState.Running;
            }
        }
    }

    /// <summary>
    /// State, summary, progress and error read together: a job that completes between two separate reads would
    /// otherwise show "completed" with a half-counted distribution.
    /// </summary>
    public JobSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new JobSnapshot(_state, _summary, _done, _total, _error, _summary?.Distribution ?? new Dictionary<string, int>(_counts, StringComparer.Ordinal));
        }
    }

    public void Report((int Done, long Total) progress)
    {
        lock (_gate)
        {
            (_done, _total) = progress;
        }
    }

    public void Add(Categorized row)
    {
        lock (_gate)
        {
            _rows.Add(row);
            // Running counts (polls need not group every row): the row under each label it got.
            _counts[row.Label] = _counts.GetValueOrDefault(row.Label) + 1;
            foreach (var also in row.Also ?? [])
            {
                _counts[also.Label] = _counts.GetValueOrDefault(also.Label) + 1;
            }
        }
    }

    /// <summary>A copy of the rows gathered so far (all of them once finished).</summary>
    public IReadOnlyList<Categorized> Rows()
    {
        lock (_gate)
        {
            return [.. _rows];
        }
    }

    /// <summary>
    /// One page of the images with <paramref name="label"/> (all images when null), best score first (the score of that
    /// label, which for a multi-label job may be a further one), ties by id.
    /// A finished job sorts its rows once, per label, so paging a gallery of millions costs a slice, not a sort;
    /// a running one sorts what it has so far.
    /// </summary>
    public IReadOnlyList<Categorized> Page(string? label, int skip, int take)
    {
        Categorized[] source;
        lock (_gate)
        {
            source = _gallery is { } gallery
                ? (label is null ? gallery.All : gallery.ByLabel.GetValueOrDefault(label, []))
                : label is null ? [.. Sorted(_rows)] : Ranked(Entries(_rows).Where(e => e.Label == label));
        }

        return skip >= source.Length ? Array.Empty<Categorized>() : new ArraySegment<Categorized>(source, skip, Math.Min(take, source.Length - skip));
    }

    private static IEnumerable<Categorized> Sorted(IEnumerable<Categorized> rows) => rows.OrderByDescending(r => r.Score).ThenBy(r => r.Id);

    // Each row under every label it got (its best, then a multi-label job's further ones), with that label's score.
    private static IEnumerable<(string Label, float Score, Categorized Row)> Entries(IEnumerable<Categorized> rows) =>
        rows.SelectMany(r => (r.Also ?? []).Select(a => (a.Label, a.Score, r)).Prepend((r.Label, r.Score, r)));

    // The rows of one label's entries, by that label's own score, ties by id.
    private static Categorized[] Ranked(IEnumerable<(string Label, float Score, Categorized Row)> entries) =>
        [.. entries.OrderByDescending(e => e.Score).ThenBy(e => e.Row.Id).Select(e => e.Row)];

    public void Complete(CategorizeSummary summary)
    {
        // Sorted outside the lock (status polls go on meanwhile); no row is added after the run has returned.
        Categorized[] all;
        lock (_gate)
        {
            all = [.. _rows];
        }

        all = [.. Sorted(all)];
        var byLabel = Entries(all).GroupBy(e => e.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, Ranked, StringComparer.Ordinal);
        lock (_gate)
        {
            _gallery = (all, byLabel);
            (_summary, _done, _total, _state) = (summary, summary.Images, summary.Images, CategorizeJobState.Completed);
        }
    }

    /// <summary>Ends the job as failed or cancelled, with why, in words for the client.</summary>
    public void End(CategorizeJobState state, string error)
    {
        lock (_gate)
        {
            (_error, _state) = (error, state);
        }
    }
}
