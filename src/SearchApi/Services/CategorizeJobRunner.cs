using ClipSearch.Core.Index;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// Runs the jobs <see cref="CategorizeJobs"/> starts, at most <see cref="CategorizeJobs.MaxRunning"/> at once, until the
/// host stops, which cancels them. However a run ends, its job ends with it (completed, cancelled or failed) and frees its slot.
/// </summary>
internal sealed partial class CategorizeJobRunner(CategorizeJobs jobs, ILogger<CategorizeJobRunner> logger) : BackgroundService
{
    /// <summary>What the client reads when a job fails for a reason not written for it (the exception is in the log).</summary>
    public const string UnexpectedFailure = "The job failed unexpectedly; the error is in the server's log.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // One reader per slot. A job rarely waits for one: Start admits no more unfinished jobs than there are slots.
            await Task.WhenAll(Enumerable.Range(0, CategorizeJobs.MaxRunning).Select(_ => RunEachAsync(stoppingToken))).ConfigureAwait(false);
        }
        finally
        {
            while (jobs.Started.TryRead(out var left))
            {
                left.Job.End(CategorizeJobState.Cancelled, Cancelled(left.Job));
            }
        }
    }

    private async Task RunEachAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var run in jobs.Started.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunAsync(run, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; ExecuteAsync cancels what is still queued.
        }
    }

    private async Task RunAsync(CategorizeRun run, CancellationToken stoppingToken)
    {
        var job = run.Job;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(job.Cancellation.Token, stoppingToken);
        try
        {
            var summary = await run.Categorizer.RunAsync(job.LabelSet, run.Filter, dryRun: !job.Apply, job.Add, new SyncProgress(job), cancellation.Token)
                .ConfigureAwait(false);
            job.Complete(summary);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            job.End(CategorizeJobState.Cancelled, Cancelled(job));
        }
        catch (VectorStoreException e)
        {
            // The log keeps the store's own words (folder, library error); the client reads its public wording.
            LogFailed(logger, job.Id, e.Message);
            job.End(CategorizeJobState.Failed, e.PublicMessage);
        }
#pragma warning disable CA1031 // any other failure must still end the job and free its slot; the client gets a neutral message
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogUnexpected(logger, job.Id, e);
            job.End(CategorizeJobState.Failed, UnexpectedFailure);
        }
    }

    private static string Cancelled(CategorizeJob job) =>
        job.Apply ? "Cancelled; the batches written before stayed written, and running the same categorization again resumes." : "Cancelled.";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Categorization job {JobId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Categorization job {JobId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string jobId, Exception exception);

    /// <summary>Progress reported straight into the job, on the reporting thread.</summary>
    private sealed class SyncProgress(CategorizeJob job) : IProgress<(int Done, long Total)>
    {
        public void Report((int Done, long Total) value) => job.Report(value);
    }
}
