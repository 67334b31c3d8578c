using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using ClipSearch.Core;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Imaging;
using ClipSearch.Core.Index;

namespace ClipSearch.Indexing;

/// <summary>
/// Reads files and finds the embedding of their content, one per distinct content in a run: a file is read whole
/// (again when it changes while being read) and hashed; the first file with a hash claims its embedding and later
/// ones wait for it; content the index already holds reuses the stored embedding, new content is decoded and
/// queued for the encode stage. Thread-safe.
/// </summary>
internal sealed class ContentReader
{
    private readonly IVectorCollection _collection;
    private readonly IImageEncoder _encoder;
    private readonly RunCounters _counters;
    private readonly Dictionary<string, StoredPoint> _indexedByHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashEntry> _byHash = new(StringComparer.Ordinal);

    /// <param name="collection">Where reused embeddings are read from.</param>
    /// <param name="encoder">Gives the size limit and decodes new content.</param>
    /// <param name="stored">What the index holds (payloads): identical content found again reuses its embedding.</param>
    /// <param name="counters">Told the decode and preprocess times.</param>
    public ContentReader(IVectorCollection collection, IImageEncoder encoder, IEnumerable<StoredPoint> stored, RunCounters counters)
    {
        _collection = collection;
        _encoder = encoder;
        _counters = counters;
        foreach (var point in stored)
        {
            if (point.Payload.ContentHash is { } hash)
            {
                _indexedByHash.TryAdd(hash, point);
            }
        }
    }

    /// <summary>Reads a file whole and hashes it, checking it did not change while being read.</summary>
    public async Task<FileRead> ReadAsync(ScannedFile file, CancellationToken token)
    {
        var full = file.FullPath;
        var byExtension = ImageFiles.HasImageExtension(Path.GetFileName(full));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                // A followed link is judged by its target, as the scanner recorded it: the link's own size and time never match the content.
                var before = FileScanner.FollowLink(new FileInfo(full));
                if (before is null || !before.Exists)
                {
                    return new FileRead(FileOutcome.Vanished, null, null, null, null);
                }

                var current = file with { Size = before.Length, ModifiedAt = FileScanner.NormaliseTime(before.LastWriteTimeUtc) };
                var limit = _encoder.Limits.MaxFileBytes;
                if (before.Length > limit)
                {
                    return new FileRead(FileOutcome.Skipped, current, null, null, new ImageFailure(SkipReason.TooLarge,
                        $"the file is {before.Length / 1048576.0:0.#} MiB, over the limit of {limit / 1048576.0:0.#} MiB"));
                }

                if (!byExtension && !ImageFiles.LooksLikeImage(full))
                {
                    return new FileRead(FileOutcome.Ignored, current, null, null, null);
                }

                var content = await File.ReadAllBytesAsync(full, token).ConfigureAwait(false);
                before.Refresh();
                if (before.Length != current.Size || FileScanner.NormaliseTime(before.LastWriteTimeUtc) != current.ModifiedAt || content.Length != current.Size)
                {
                    await Task.Delay(200 * (attempt + 1), token).ConfigureAwait(false);
                    continue; // being written: read it again
                }

                return new FileRead(FileOutcome.Indexed, current, content, Hash(content), null);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return new FileRead(FileOutcome.Vanished, null, null, null, null);
            }
            catch (UnauthorizedAccessException)
            {
                return new FileRead(FileOutcome.Skipped, file, null, null, new ImageFailure(SkipReason.Unreadable, "permission denied"));
            }
            catch (IOException e)
            {
                return new FileRead(FileOutcome.Skipped, file, null, null, new ImageFailure(SkipReason.Unreadable, e.Message));
            }
        }

        return new FileRead(FileOutcome.Skipped, file, null, null, new ImageFailure(SkipReason.Unreadable,
            "the file kept changing while it was read; it is tried again on the next run"));
    }

    /// <summary>
    /// The embedding of a content read by <see cref="ReadAsync"/>. The first caller with a hash produces it and
    /// holds <paramref name="content"/> only until the image is queued; the others wait for it without it.
    /// </summary>
    public Task<EmbeddingSource> EmbeddingAsync(string hash, byte[] content, ChannelWriter<EncodeJob> encodeQueue, CancellationToken token)
    {
        var entry = _byHash.GetOrAdd(hash, static _ => new HashEntry());
        return entry.TryClaim() ? WaitAfterAsync(ProduceAsync(entry, hash, content, encodeQueue, token), entry, token) : entry.Result.Task.WaitAsync(token);
    }

    private static async Task<EmbeddingSource> WaitAfterAsync(Task produce, HashEntry entry, CancellationToken token)
    {
        await produce.ConfigureAwait(false);
        return await entry.Result.Task.WaitAsync(token).ConfigureAwait(false);
    }

    /// <summary>Produces the embedding for new content: reused from the index when known there, else decoded and encoded.</summary>
    private async Task ProduceAsync(HashEntry entry, string hash, byte[] content, ChannelWriter<EncodeJob> encodeQueue, CancellationToken token)
    {
        try
        {
            if (_indexedByHash.TryGetValue(hash, out var known)
                && await _collection.GetAsync(known.Id, withVector: true, token).ConfigureAwait(false) is { Vector: not null } stored)
            {
                var p = stored.Payload;
                entry.Result.TrySetResult(new EmbeddingSource(stored.Vector, new ImageInfo(p.Format ?? "unknown", p.Width, p.Height, false, p.TakenAt, p.Text), null, stored));
                return;
            }

            var prepared = await _encoder.PrepareBytesAsync(content, token).ConfigureAwait(false);
            if (!prepared.Succeeded)
            {
                entry.Result.TrySetResult(new EmbeddingSource(null, null, prepared.Failure));
                return;
            }

            _counters.AddPrepared(prepared.Image);
            await encodeQueue.WriteAsync(new EncodeJob(prepared.Image, entry.Result), token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            entry.Result.TrySetException(e);
            throw;
        }
    }

    private static string Hash(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>One content's embedding in a run: the first file with the hash claims it, later ones wait for it.</summary>
    private sealed class HashEntry
    {
        private int _claimed;

        public TaskCompletionSource<EmbeddingSource> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;
    }
}
