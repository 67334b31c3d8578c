namespace ClipSearch.Indexer.Cli;

/// <summary>Process exit codes of <c>clipsearch</c>, documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>The command ran, but some inputs failed (each is reported).</summary>
    public const int PartialFailure = 1;

    /// <summary>The command line was malformed.</summary>
    public const int Usage = 2;

    /// <summary>The model folder is missing, incomplete or not a CLIP model.</summary>
    public const int ModelError = 3;

    /// <summary>The requested device (CUDA) cannot be used.</summary>
    public const int DeviceError = 4;

    /// <summary>The index could not be opened, read or written (missing collection, model mismatch, server down, ...).</summary>
    public const int IndexError = 5;

    /// <summary>Another process is indexing the same collection.</summary>
    public const int Busy = 6;

    /// <summary>The file system holding the index is full (no space left on device).</summary>
    public const int NoSpace = 7;

    /// <summary>Interrupted by SIGINT (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>Stopped by SIGTERM.</summary>
    public const int Terminated = 143;
}
