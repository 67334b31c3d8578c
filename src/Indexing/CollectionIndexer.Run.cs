using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using ClipSearch.Core.Index;

namespace ClipSearch.Indexing;

public sealed partial class CollectionIndexer
{
    private sealed class Run(CollectionIndexer owner, ChangeSet changes, ContentReader reader, RunCounters counters, CancellationToken cancellationToken)
    {
        private readonly IReadOnlyList<WorkItem> _work = changes.Work;
        private readonly ConcurrentDictionary<Guid, StoredPoint> _pendingDeletes = new(changes.PendingDeletes);
        private readonly IndexOptions _options = owner._options;

        public async Task ProcessAsync()
        {
            if (_work.Count == 0)
            {
                return;
            }

            counters.Report("indexing");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var batch = Math.Max(1, _options.BatchSize);
            var readers = _options.ReadParallelism > 0 ? _options.ReadParallelism : batch + Environment.ProcessorCount;
            var encodeQueue = Channel.CreateBounded<EncodeJob>(new BoundedChannelOptions(batch * 2) { SingleReader = true });
            var writeQueue = Channel.CreateBounded<WriteOp>(new BoundedChannelOptions(Math.Max(64, _options.WriteBatchSize * 2)) { SingleReader = true });

            var produce = Guard(stop, async token =>
            {
                try
                {
                    await Parallel.ForEachAsync(_work, new ParallelOptions { MaxDegreeOfParallelism = readers, CancellationToken = token },
                        async (item, t) => await writeQueue.Writer.WriteAsync(await ProcessFileAsync(item, encodeQueue.Writer, t).ConfigureAwait(false), t)
                            .ConfigureAwait(false)).ConfigureAwait(false);
                }
                finally
                {
                    encodeQueue.Writer.TryComplete();
                }
            });
            var encode = Guard(stop, token => EncodeLoopAsync(encodeQueue.Reader, batch, token));
            var write = Guard(stop, token => WriteLoopAsync(writeQueue.Reader, token));
            try
            {
                await Task.WhenAll(produce, encode).ConfigureAwait(false);
            }
            finally
            {
                writeQueue.Writer.TryComplete();
            }

            await write.ConfigureAwait(false);
        }

        /// <summary>Runs a stage; its failure stops the others (instead of leaving them blocked on a full queue).</summary>
        private static Task Guard(CancellationTokenSource stop, Func<CancellationToken, Task> stage) => Task.Run(async () =>
        {
            try
            {
                await stage(stop.Token).ConfigureAwait(false);
            }
            catch
            {
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        });

        private async Task<WriteOp> ProcessFileAsync(WorkItem item, ChannelWriter<EncodeJob> encodeQueue, CancellationToken token)
        {
            var started = Stopwatch.GetTimestamp();
            var read = await reader.ReadAsync(item.File, token).ConfigureAwait(false);
            var previousId = item.Previous is { } p ? new[] { p.Id } : null;
            if (read.Outcome is FileOutcome.Vanished or FileOutcome.Ignored)
            {
                return new WriteOp(read.Outcome, item.File.FullPath, Delete: previousId);
            }

            var file = read.File!;
            if (read.Failure is { } failure)
            {
                return new WriteOp(FileOutcome.Skipped, file.FullPath, Delete: previousId, Skip: new SkippedFile(file.FullPath, file.Size, file.ModifiedAt, failure));
            }

            var hash = read.Hash!;
            counters.AddRead(Stopwatch.GetElapsedTime(started));
            var id = PointIds.ForImage(file.Root, file.RelativePath);
            if (item.Previous is { } previous && previous.Payload.ContentHash == hash && previous.Id == id)
            {
                // Touched, not changed: same bytes, new time. Keep the embedding and labels, record the new time.
                var kept = await owner._collection.GetAsync(previous.Id, withVector: true, token).ConfigureAwait(false);
                if (kept?.Vector is not null)
                {
                    var payload = kept.Payload with { SizeBytes = file.Size, ModifiedAt = file.ModifiedAt };
                    return new WriteOp(FileOutcome.Touched, file.FullPath, new VectorPoint(id, kept.Vector, payload));
                }
            }

            var embedding = reader.EmbeddingAsync(hash, read.Content!, encodeQueue, token);
            read = default; // the file's bytes are not needed while waiting for the encoder
            var source = await embedding.ConfigureAwait(false);
            if (source.Failure is { } f)
            {
                return new WriteOp(FileOutcome.Skipped, file.FullPath, Delete: previousId, Skip: new SkippedFile(file.FullPath, file.Size, file.ModifiedAt, f));
            }

            var outcome = item.Previous is null ? FileOutcome.Indexed : FileOutcome.Updated;
            IReadOnlyDictionary<string, LabelAssignment> labels = new Dictionary<string, LabelAssignment>();
            var deletes = new List<Guid>();
            if (item.Previous is { } prev)
            {
                if (prev.Id != id)
                {
                    deletes.Add(prev.Id); // the same path under a new root: the point is re-keyed
                }

                if (prev.Payload.ContentHash == hash)
                {
                    outcome = FileOutcome.Moved;
                    labels = prev.Payload.Labels;
                }
            }
            else if (source.From is { } from && _pendingDeletes.TryRemove(from.Id, out _))
            {
                // The content of a file that is gone from its old path: a move. Its labels travel with it.
                outcome = FileOutcome.Moved;
                labels = from.Payload.Labels;
                deletes.Add(from.Id);
            }

            var info = source.Info!;
            var point = new VectorPoint(id, source.Vector!, new ImagePayload
            {
                Root = file.Root,
                Path = file.RelativePath,
                SizeBytes = file.Size,
                ModifiedAt = file.ModifiedAt,
                ContentHash = hash,
                Width = info.Width,
                Height = info.Height,
                Format = info.Format,
                TakenAt = info.TakenAt,
                Labels = labels,
            });
            return new WriteOp(outcome, file.FullPath, point, [.. deletes]);
        }

        private async Task EncodeLoopAsync(ChannelReader<EncodeJob> queue, int batchSize, CancellationToken token)
        {
            // Batches run the model better than single images: a batch waits a little for stragglers.
            await foreach (var jobs in ChannelBatches.ReadAsync(queue, batchSize, TimeSpan.FromMilliseconds(100), token).ConfigureAwait(false))
            {
                try
                {
                    var encodeStart = Stopwatch.GetTimestamp();
                    var vectors = owner._encoder.Encode([.. jobs.Select(j => j.Image)], token);
                    counters.AddEncoded(jobs.Count, Stopwatch.GetElapsedTime(encodeStart));
                    for (var i = 0; i < jobs.Count; i++)
                    {
                        jobs[i].Result.TrySetResult(new EmbeddingSource(vectors[i], jobs[i].Image.Info, null));
                    }
                }
                catch (Exception e)
                {
                    foreach (var job in jobs)
                    {
                        job.Result.TrySetException(e);
                    }

                    throw;
                }
            }
        }

        /// <summary>Writes finished work in batches of <see cref="IndexOptions.WriteBatchSize"/> points, or sooner once it waited <see cref="IndexOptions.WriteInterval"/>.</summary>
        private async Task WriteLoopAsync(ChannelReader<WriteOp> queue, CancellationToken token)
        {
            await foreach (var ops in ChannelBatches.ReadAsync(queue, _options.WriteBatchSize * 4, _options.WriteInterval, static op => op.Point is null ? 0 : 1,
                _options.WriteBatchSize, token).ConfigureAwait(false))
            {
                await FlushAsync(ops, token).ConfigureAwait(false);
            }
        }

        /// <summary>Writes a batch: points first (durable), then what they replace, then the skip records.</summary>
        private async Task FlushAsync(IReadOnlyList<WriteOp> ops, CancellationToken token)
        {
            var storeStart = Stopwatch.GetTimestamp();
            var points = ops.Where(o => o.Point is not null).Select(o => o.Point!).ToList();
            if (points.Count > 0)
            {
                await owner._collection.UpsertAsync(points, token).ConfigureAwait(false);
            }

            var deletes = ops.Where(o => o.Delete is not null).SelectMany(o => o.Delete!).ToHashSet();
            if (deletes.Count > 0)
            {
                await owner._collection.DeleteAsync(deletes, token).ConfigureAwait(false);
            }

            var skips = ops.Where(o => o.Skip is not null).Select(o => o.Skip!).ToList();
            var forget = ops.Where(o => o.Skip is null).Select(o => o.FullPath).ToList();
            owner._state.Update(owner._collection.Name, skips, forget);
            counters.AddWritten(ops, Stopwatch.GetElapsedTime(storeStart));
            foreach (var op in ops)
            {
                if (op.Skip is { } skip)
                {
                    LogSkipped(owner._logger, op.FullPath, skip.Failure);
                }
            }

            counters.Report("indexing");
        }

        public async Task FinishAsync()
        {
            counters.Report("finishing");
            var gone = _pendingDeletes.Keys.ToList();
            for (var i = 0; i < gone.Count; i += 1000)
            {
                counters.AddDeleted(await owner._collection.DeleteAsync(gone.Skip(i).Take(1000).ToList(), cancellationToken).ConfigureAwait(false));
            }

            owner._state.Update(owner._collection.Name, [], changes.SkipsToForget);
        }
    }
}
