namespace ClipSearch.Indexing;

/// <summary>An index run was cancelled; <see cref="Summary"/> counts what it had durably done by then.</summary>
public sealed class IndexCancelledException : OperationCanceledException
{
    public IndexCancelledException()
    {
    }

    public IndexCancelledException(string message)
        : base(message)
    {
    }

    public IndexCancelledException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public IndexCancelledException(IndexSummary summary, OperationCanceledException inner)
        : base("the index run was cancelled", inner, inner.CancellationToken) => Summary = summary;

    /// <summary>What the run had written before it stopped (files finished then are in the index).</summary>
    public IndexSummary Summary { get; } = new();
}
