namespace ClipSearch.Engine.Categorization;

/// <summary>A categorization was cancelled; <see cref="Summary"/> counts the images it had labelled (and written) by then.</summary>
public sealed class CategorizeCancelledException : OperationCanceledException
{
    public CategorizeCancelledException()
    {
    }

    public CategorizeCancelledException(string message)
        : base(message)
    {
    }

    public CategorizeCancelledException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CategorizeCancelledException(CategorizeSummary summary, OperationCanceledException inner)
        : base("the categorization was cancelled", inner, inner.CancellationToken) => Summary = summary;

    /// <summary>What the run had done before it stopped; null only for the parameterless constructors.</summary>
    public CategorizeSummary? Summary { get; }
}
