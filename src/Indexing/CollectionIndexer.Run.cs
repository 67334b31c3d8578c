using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using ClipSearch.Core;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Imaging;
using ClipSearch.Core.Index;

namespace ClipSearch.Indexing;

public sealed partial class CollectionIndexer
{
    /// <summary>Where an embedding comes from: encoded now, or the stored one of identical content.</summary>
    private sealed record Source(float[]? Vector, ImageInfo? Info, ImageFailure? Failure, StoredPoint? From = null);

    /// <summary>The one embedding per distinct content in a run: the first file with a hash produces it, later ones wait for it.</summary>
    private sealed class HashEntry
    {
        private int _claimed;

        public TaskCompletionSource<Source> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;
    }

    private sealed record EncodeJob(PreparedImage Image, HashEntry Entry);

    private sealed class Run(CollectionIndexer owner, ChangeSet changes, RunCounters counters, CancellationToken cancellationToken)
    {
        private readonly IReadOnlyList<WorkItem> _work = changes.Work;
        private readonly ConcurrentDictionary<Guid, StoredPoint> _pendingDeletes = new(changes.PendingDeletes);
        private readonly ConcurrentDictionary<string, HashEntry> _byHash = new(StringComparer.Ordinal);
        private readonly Dictionary<string, StoredPoint> _indexedByHash = new(StringComparer.Ordinal);
        private readonly IndexOptions _options = owner._options;

        /// <summary>Remembers every stored point by content hash, so that identical content reuses its embedding.</summary>
        public void KnowContents(IEnumerable<StoredPoint> stored)
        {
            foreach (var point in stored)
            {
                if (point.Payload.ContentHash is { } hash)
                {
                    _indexedByHash.TryAdd(hash, point);
                }
            }
        }

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
            var read = await ReadAsync(item.File, token).ConfigureAwait(false);
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

            var hash = Hash(read.Content);
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

            var entry = _byHash.GetOrAdd(hash, _ => new HashEntry());
            if (entry.TryClaim())
            {
                await ProduceAsync(entry, hash, read.Content!, encodeQueue, token).ConfigureAwait(false);
            }

            read = default; // the file's bytes are not needed while waiting for the encoder
            var source = await entry.Result.Task.WaitAsync(token).ConfigureAwait(false);
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

        /// <summary>Produces the embedding for new content: reused from the index when known there, else decoded and encoded.</summary>
        private async Task ProduceAsync(HashEntry entry, string hash, byte[] content, ChannelWriter<EncodeJob> encodeQueue, CancellationToken token)
        {
            try
            {
                if (_indexedByHash.TryGetValue(hash, out var known)
                    && await owner._collection.GetAsync(known.Id, withVector: true, token).ConfigureAwait(false) is { Vector: not null } stored)
                {
                    var p = stored.Payload;
                    entry.Result.TrySetResult(new Source(stored.Vector, new ImageInfo(p.Format ?? "unknown", p.Width, p.Height, false, p.TakenAt), null, stored));
                    return;
                }

                var prepared = await owner._encoder.PrepareBytesAsync(content, token).ConfigureAwait(false);
                if (!prepared.Succeeded)
                {
                    entry.Result.TrySetResult(new Source(null, null, prepared.Failure));
                    return;
                }

                counters.AddPrepared(prepared.Image);
                await encodeQueue.WriteAsync(new EncodeJob(prepared.Image, entry), token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                entry.Result.TrySetException(e);
                throw;
            }
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
                        jobs[i].Entry.Result.TrySetResult(new Source(vectors[i], jobs[i].Image.Info, null));
                    }
                }
                catch (Exception e)
                {
                    foreach (var job in jobs)
                    {
                        job.Entry.Result.TrySetException(e);
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

        private readonly record struct ReadResult(FileOutcome Outcome, ScannedFile? File, byte[]? Content, ImageFailure? Failure);

        /// <summary>Reads a file whole, checking it did not change while being read.</summary>
        private async Task<ReadResult> ReadAsync(ScannedFile file, CancellationToken token)
        {
            var full = file.FullPath;
            var byExtension = ImageFiles.HasImageExtension(Path.GetFileName(full));
            for (var attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    var before = new FileInfo(full);
                    if (!before.Exists)
                    {
                        return new ReadResult(FileOutcome.Vanished, null, null, null);
                    }

                    var current = file with { Size = before.Length, ModifiedAt = FileScanner.NormaliseTime(before.LastWriteTimeUtc) };
                    if (before.Length > owner._encoder.Limits.MaxFileBytes)
                    {
                        return new ReadResult(FileOutcome.Skipped, current, null, new ImageFailure(SkipReason.TooLarge,
                            $"the file is {before.Length / 1048576.0:0.#} MiB, over the limit of {owner._encoder.Limits.MaxFileBytes / 1048576.0:0.#} MiB"));
                    }

                    if (!byExtension && !ImageFiles.LooksLikeImage(full))
                    {
                        return new ReadResult(FileOutcome.Ignored, current, null, null);
                    }

                    var content = await File.ReadAllBytesAsync(full, token).ConfigureAwait(false);
                    before.Refresh();
                    if (before.Length != current.Size || FileScanner.NormaliseTime(before.LastWriteTimeUtc) != current.ModifiedAt || content.Length != current.Size)
                    {
                        await Task.Delay(200 * (attempt + 1), token).ConfigureAwait(false);
                        continue; // being written: read it again
                    }

                    return new ReadResult(FileOutcome.Indexed, current, content, null);
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    return new ReadResult(FileOutcome.Vanished, null, null, null);
                }
                catch (UnauthorizedAccessException)
                {
                    return new ReadResult(FileOutcome.Skipped, file, null, new ImageFailure(SkipReason.Unreadable, "permission denied"));
                }
                catch (IOException e)
                {
                    return new ReadResult(FileOutcome.Skipped, file, null, new ImageFailure(SkipReason.Unreadable, e.Message));
                }
            }

            return new ReadResult(FileOutcome.Skipped, file, null, new ImageFailure(SkipReason.Unreadable,
                "the file kept changing while it was read; it is tried again on the next run"));
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
