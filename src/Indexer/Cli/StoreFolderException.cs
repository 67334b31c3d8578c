namespace ClipSearch.Indexer.Cli;

/// <summary>The index's folder cannot be written (read-only, no permission, or full): this message and <see cref="ExitCode"/>.</summary>
internal sealed class StoreFolderException : Exception
{
    public StoreFolderException()
    {
    }

    public StoreFolderException(string message)
        : base(message)
    {
    }

    public StoreFolderException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public StoreFolderException(string message, int exitCode, Exception inner)
        : base(message, inner) => ExitCode = exitCode;

    public int ExitCode { get; } = ExitCodes.IndexError;
}
