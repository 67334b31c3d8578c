using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ClipSearch.Core;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
using Microsoft.Extensions.Logging;

namespace ClipSearch.Indexing;

/// <summary>
/// The stages between the change set and the index, joined by bounded queues so that memory stays flat: files
/// are processed in parallel (read, hashed, decoded), decoded images are encoded in batches, and finished files
/// are written in batches, each durable before its files count as done. A stage that fails stops the others.
/// </summary>
internal sealed partial class IndexPipeline(IVectorCollection collection, IImageEncoder encoder, IndexerState state, IndexOptions options,
    RunCounters counters, ILogger logger)
{
    // How long a batch for the model waits for stragglers: batches run the model better than single images.
    private static readonly TimeSpan EncodeLinger = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs the stages over <paramref name="work"/>. Cancelling <paramref name="cancellationToken"/> stops reading and
    /// encoding; files already finished are still written, then the cancellation is thrown.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<WorkItem> work, FileProcessor files, CancellationToken cancellationToken)
    {
        // A stage that fails stops all of them; the caller's cancellation stops reading and encoding only.
        using var failed = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, failed.Token);
        var batch = Math.Max(1, options.BatchSize);
        var streams = Math.Max(1, encoder.Parallelism);
        // Files in flight: a batch for each stream being encoded, the next batch being decoded meanwhile (else the
        // encoder waits for a whole batch's decoding after each one), and a file per core being read.
        var inFlight = options.ReadParallelism > 0 ? options.ReadParallelism : (batch * (streams + 1)) + Environment.ProcessorCount;
        var encodeQueue = Channel.CreateBounded<EncodeJob>(new BoundedChannelOptions(batch * (streams + 1)) { SingleReader = true });
        var writeQueue = Channel.CreateBounded<WriteOp>(new BoundedChannelOptions(Math.Max(64, options.WriteBatchSize * 2)) { SingleReader = true });

        var produce = Guard(failed, async token =>
        {
            try
            {
                await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = inFlight, CancellationToken = token },
                    async (item, t) => await writeQueue.Writer.WriteAsync(await files.ProcessAsync(item, encodeQueue.Writer, t).ConfigureAwait(false), t)
                        .ConfigureAwait(false)).ConfigureAwait(false);
            }
            finally
            {
                encodeQueue.Writer.TryComplete();
            }
        }, stop.Token, cancellationToken);
        var encode = Guard(failed, token => EncodeAsync(encodeQueue.Reader, batch, streams, token), stop.Token, cancellationToken);
        var write = Guard(failed, token => WriteAsync(writeQueue.Reader, token), failed.Token, cancellationToken);
        try
        {
            await Task.WhenAll(produce, encode).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled, or stopped by a stage that failed: the write stage still ends, then the real failure is reported.
        }
        finally
        {
            writeQueue.Writer.TryComplete();
        }

        try
        {
            await write.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        ThrowFirstFailure([produce, encode, write], cancellationToken);
    }

    /// <summary>
    /// Rethrows the failure of a stage that failed by itself (a full disk in the write stage, say) rather than the
    /// cancellation it caused in the others; a cancellation is thrown only when nothing failed.
    /// </summary>
    private static void ThrowFirstFailure(Task[] stages, CancellationToken cancellationToken)
    {
        var failures = stages.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).ToList();
        if (failures.FirstOrDefault(e => e is not OperationCanceledException) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (failures.Count > 0 || stages.Any(t => t.IsCanceled))
        {
            throw new OperationCanceledException("an indexing stage stopped before the end of its work");
        }
    }

    /// <summary>Runs a stage with <paramref name="token"/>; its failure (not the caller's cancellation) stops the others.</summary>
    private static Task Guard(CancellationTokenSource failed, Func<CancellationToken, Task> stage, CancellationToken token, CancellationToken caller) => Task.Run(async () =>
    {
        try
        {
            await stage(token).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && caller.IsCancellationRequested))
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    });

    /// <summary>
    /// One reader makes the batches (full ones while images wait) and <paramref name="streams"/> threads of their own
    /// encode them side by side, so that the next batch is made while the others run. Those threads run below the
    /// decoders' priority (<see cref="ThreadNice"/>), so that decoding keeps ahead of them. A stream that fails stops the
    /// others, and its error is the one thrown.
    /// </summary>
    private async Task EncodeAsync(ChannelReader<EncodeJob> queue, int batchSize, int streams, CancellationToken token)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var batches = Channel.CreateBounded<IReadOnlyList<EncodeJob>>(new BoundedChannelOptions(1) { SingleWriter = true });
        var workers = Enumerable.Range(0, streams).Select(_ => Task.Factory.StartNew(() =>
        {
            // A thread of its own (long-running), so lowering its priority below the decoders' touches no other work.
            ThreadNice.Lower(ThreadNice.EncoderSteps);
            try
            {
                while (batches.Reader.WaitToReadAsync(stop.Token).AsTask().GetAwaiter().GetResult())
                {
                    while (batches.Reader.TryRead(out var jobs))
                    {
                        EncodeBatch(jobs, stop.Token);
                    }
                }
            }
            catch
            {
                stop.Cancel();
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        ExceptionDispatchInfo? stopped = null;
        try
        {
            await foreach (var jobs in ChannelBatches.ReadAsync(queue, batchSize, EncodeLinger, stop.Token).ConfigureAwait(false))
            {
                await batches.Writer.WriteAsync(jobs, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            // A stream failed: its error is thrown below.
        }
        catch (Exception e)
        {
            // Cancelled by the caller, or failed: the streams stop too, and are waited for before this is thrown.
            stopped = ExceptionDispatchInfo.Capture(e);
            await stop.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            batches.Writer.TryComplete();
        }

        // Every stream has ended before the stage does, even when stopping: nothing may still run the model once the
        // pipeline has returned (its caller may dispose the model next). A batch inside the model stops at its next operator.
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (Exception) when (workers.Select(w => w.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
        catch (OperationCanceledException) when (stopped is not null)
        {
        }

        stopped?.Throw();
    }

    private void EncodeBatch(IReadOnlyList<EncodeJob> jobs, CancellationToken token)
    {
        var started = counters.BeginEncode();
        var encoded = 0;
        try
        {
            var vectors = encoder.Encode([.. jobs.Select(j => j.Image)], token);
            encoded = jobs.Count;
            for (var i = 0; i < jobs.Count; i++)
            {
                jobs[i].Result.TrySetResult(new EmbeddingSource(vectors[i], jobs[i].Image.Info, null));
            }
        }
        catch (Exception e)
        {
            // The files waiting for this batch fail with the encoder's error, not with a cancellation.
            foreach (var job in jobs)
            {
                job.Result.TrySetException(e);
            }

            throw;
        }
        finally
        {
            counters.EndEncode(encoded, started);
        }
    }

    /// <summary>Writes finished files in batches of <see cref="IndexOptions.WriteBatchSize"/> points, or sooner once they waited <see cref="IndexOptions.WriteInterval"/>.</summary>
    private async Task WriteAsync(ChannelReader<WriteOp> queue, CancellationToken token)
    {
        // Files without a point (skipped, ignored, vanished) weigh nothing, but a batch holds at most four times as many files as points.
        await foreach (var ops in ChannelBatches.ReadAsync(queue, options.WriteBatchSize * 4, options.WriteInterval, static op => op.Point is null ? 0 : 1,
            options.WriteBatchSize, token).ConfigureAwait(false))
        {
            await FlushAsync(ops, token).ConfigureAwait(false);
        }
    }

    /// <summary>Writes a batch: points first (durable), then what they replace, then the skip records.</summary>
    private async Task FlushAsync(IReadOnlyList<WriteOp> ops, CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        var points = ops.Where(o => o.Point is not null).Select(o => o.Point!).ToList();
        if (points.Count > 0)
        {
            await collection.UpsertAsync(points, token).ConfigureAwait(false);
        }

        var deletes = ops.Where(o => o.Delete is not null).SelectMany(o => o.Delete!).ToHashSet();
        if (deletes.Count > 0)
        {
            await collection.DeleteAsync(deletes, token).ConfigureAwait(false);
        }

        var skips = ops.Where(o => o.Skip is not null).Select(o => o.Skip!).ToList();
        var forget = ops.Where(o => o.Skip is null).Select(o => o.FullPath).ToList();
        state.Update(collection.Name, skips, forget);
        counters.AddWritten(ops, Stopwatch.GetElapsedTime(started));
        foreach (var skip in skips)
        {
            LogSkipped(logger, skip.Path, skip.Failure);
        }

        counters.Report("indexing");
    }

    [LoggerMessage(EventId = 41, Level = LogLevel.Debug, Message = "Skipped {Path}: {Failure}")]
    private static partial void LogSkipped(ILogger logger, string path, ImageFailure failure);
}
