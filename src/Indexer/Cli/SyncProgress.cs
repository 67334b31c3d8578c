namespace ClipSearch.Indexer.Cli;

/// <summary>Progress reported on the reporting thread (<see cref="Progress{T}"/> posts to the thread pool, so a final report could land after the line is closed).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
