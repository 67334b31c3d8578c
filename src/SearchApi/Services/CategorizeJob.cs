using ClipSearch.Indexing;

namespace ClipSearch.SearchApi.Services;

/// <summary>One categorization run of the API: its progress while it runs, then its distribution and every image's label.</summary>
internal sealed class CategorizeJob(string id, string collection, string labelSet, IReadOnlyList<string> labels, bool apply)
{
    private readonly List<Categorized> _rows = [];
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

    /// <summary>running, completed, failed or cancelled.</summary>
    public string State { get; private set; } = "running";

    public string? Error { get; private set; }

    public CategorizeSummary? Summary { get; private set; }

    public (int Done, long Total) Progress => (Volatile.Read(ref _done), Interlocked.Read(ref _total));

    public bool IsFinished => State != "running";

    public void Report((int Done, long Total) progress)
    {
        Volatile.Write(ref _done, progress.Done);
        Interlocked.Exchange(ref _total, progress.Total);
    }

    public void Add(Categorized row)
    {
        lock (_gate)
        {
            _rows.Add(row);
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
        Summary = summary;
        Report((summary.Images, summary.Images));
        State = "completed";
    }

    public void Fail(string state, string? error)
    {
        Error = error;
        State = state;
    }
}
