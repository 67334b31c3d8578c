using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using ClipSearch.Core.Imaging;
using ClipSearch.Core.Index;

namespace ClipSearch.Indexing;

/// <summary>
/// Turns one file of the change set into its write: read and hashed, then kept (touched only), given the embedding
/// of its content (encoded, or reused from identical content), or skipped; a new file whose content was indexed
/// under a path now gone takes that point's place (a move), and takes it out of the points pending deletion.
/// Thread-safe.
/// </summary>
internal sealed class FileProcessor(IVectorCollection collection, ContentReader reader, ConcurrentDictionary<Guid, StoredPoint> pendingDeletes,
    RunCounters counters)
{
    public async Task<WriteOp> ProcessAsync(WorkItem item, ChannelWriter<EncodeJob> encodeQueue, CancellationToken token)
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
            var kept = await collection.GetAsync(previous.Id, withVector: true, token).ConfigureAwait(false);
            if (kept?.Vector is not null)
            {
                var payload = kept.Payload with { SizeBytes = file.Size, ModifiedAt = file.ModifiedAt };
                return new WriteOp(FileOutcome.Touched, file.FullPath, new VectorPoint(id, kept.Vector, payload));
            }
        }

        var header = read.Content![..Math.Min(read.Content.Length, FormatSniffer.HeaderLength)]; // names a failure (ImageFiles.ForFile)
        var embedding = reader.EmbeddingAsync(hash, read.Content, encodeQueue, token);
        read = default; // the file's bytes are not needed while waiting for the encoder
        var source = await embedding.ConfigureAwait(false);
        if (source.Failure is { } f)
        {
            var named = ImageFiles.ForFile(f, Path.GetFileName(file.RelativePath), header);
            return new WriteOp(FileOutcome.Skipped, file.FullPath, Delete: previousId, Skip: new SkippedFile(file.FullPath, file.Size, file.ModifiedAt, named));
        }

        var outcome = item.Previous is null ? FileOutcome.Indexed : FileOutcome.Updated;
        var labels = ImagePayload.NoLabels;
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
        else if (source.From is { } from && pendingDeletes.TryRemove(from.Id, out _))
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
            Text = info.Text,
            Labels = labels,
        });
        return new WriteOp(outcome, file.FullPath, point, [.. deletes]);
    }
}
