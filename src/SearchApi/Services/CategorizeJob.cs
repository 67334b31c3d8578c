using ClipSearch.Indexing;

namespace ClipSearch.SearchApi.Services;

/// <summary>One categorization run of the API: its progress while it runs, then its distribution and every image's label.</summary>
internal sealed class CategorizeJob(string id, string collection, string labelSet, IReadOnlyList<string> labels, bool apply)
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

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    public CancellationTokenSource Cancellation { get; } = new();

    private string _state = "running";
    private string? _error;
    private CategorizeSummary? _summary;

    public bool IsFinished
    {
        get
        {
            lock (_gate)
            {
                return _state != "running";
            }
        }
    }

    /// <summary>
    /// State (running, completed, failed or cancelled), summary, progress and error read together: a job that
    /// completes between two separate reads would otherwise show "completed" with a half-counted distribution.
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
            _counts[row.Label] = _counts.GetValueOrDefault(row.Label) + 1; // running counts: polls need not group every row
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

    public void Complete(CategorizeSummary summary)
    {
        lock (_gate)
        {
            (_summary, _done, _total, _state) = (summary, summary.Images, summary.Images, "completed");
        }
    }

    public void Fail(string state, string? error)
    {
        lock (_gate)
        {
            (_error, _state) = (error, state);
        }
    }
}
