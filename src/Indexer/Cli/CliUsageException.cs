namespace ClipSearch.Indexer.Cli;

/// <summary>A command line (or CLIPSEARCH_* variable) the command cannot run with: exit code 2 with this message.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException()
    {
    }

    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
