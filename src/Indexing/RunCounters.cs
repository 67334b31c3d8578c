using System.Diagnostics;
using ClipSearch.Core.Embeddings;

namespace ClipSearch.Indexing;

/// <summary>
/// What a run has done so far, for its progress reports and its summary. Outcomes are recorded by the write
/// stage alone, once their batch is durable; the other stages add their times and counts from any thread.
/// </summary>
internal sealed class RunCounters(int filesToDo, int unchanged, IProgress<IndexProgress>? progress, Stopwatch clock)
{
    private readonly Dictionary<string, SkippedFile> _skippedNow = new(StringComparer.Ordinal);
    private int _unchanged = unchanged, _indexed, _updated, _moved, _deleted, _ignored, _encoded, _done;
    private readonly Lock _encodingGate = new();
    private long _readTicks, _decodeTicks, _preprocessTicks, _encodeTicks, _storeTicks, _encodingTicks, _encodingSince;
    private int _encodingNow;

    public void AddRead(TimeSpan time) => Interlocked.Add(ref _readTicks, time.Ticks);

    public void AddPrepared(PreparedImage image)
    {
        Interlocked.Add(ref _decodeTicks, image.DecodeTime.Ticks);
        Interlocked.Add(ref _preprocessTicks, image.PreprocessTime.Ticks);
    }

    /// <summary>A batch starts encoding; returns its start, for <see cref="EndEncode"/>.</summary>
    public long BeginEncode()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_encodingGate)
        {
            if (_encodingNow++ == 0)
            {
                _encodingSince = now;
            }
        }

        return now;
    }

    /// <summary>A batch of <paramref name="images"/> begun at <paramref name="started"/> is done (or failed: then 0 images).</summary>
    public void EndEncode(int images, long started)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_encodingGate)
        {
            if (--_encodingNow == 0)
            {
                _encodingTicks += Stopwatch.GetElapsedTime(_encodingSince, now).Ticks;
            }
        }

        Interlocked.Add(ref _encodeTicks, Stopwatch.GetElapsedTime(started, now).Ticks);
        Interlocked.Add(ref _encoded, images);
    }

    /// <summary>Counts a durable batch (from the write stage only).</summary>
    public void AddWritten(IReadOnlyList<WriteOp> ops, TimeSpan time)
    {
        _storeTicks += time.Ticks;
        foreach (var op in ops)
        {
            switch (op.Outcome)
            {
                case FileOutcome.Indexed: _indexed++; break;
                case FileOutcome.Updated: _updated++; break;
                case FileOutcome.Moved: _moved++; break;
                case FileOutcome.Touched: _unchanged++; break;
                case FileOutcome.Ignored: _ignored++; _deleted += op.Delete?.Length ?? 0; break;
                case FileOutcome.Vanished: _deleted += op.Delete?.Length ?? 0; break;
                case FileOutcome.Skipped:
                    _skippedNow[op.FullPath] = op.Skip!;
                    _deleted += op.Delete?.Length ?? 0;
                    break;
            }
        }

        Interlocked.Add(ref _done, ops.Count);
    }

    /// <summary>Counts the points of files gone from disk, deleted at the end of the run.</summary>
    public void AddDeleted(long points) => _deleted += (int)points;

    public void Report(string phase) =>
        progress?.Report(new IndexProgress(phase, filesToDo, Volatile.Read(ref _done), Volatile.Read(ref _encoded), _skippedNow.Count, clock.Elapsed));

    /// <param name="remembered">Files skipped before and left alone: listed among the skipped.</param>
    /// <param name="unlistedFolders">Folders the scan could not list.</param>
    public IndexSummary Summary(IEnumerable<SkippedFile> remembered, IReadOnlyList<string> unlistedFolders)
    {
        var elapsed = clock.Elapsed.TotalSeconds;
        return new IndexSummary
        {
            Indexed = _indexed,
            Unchanged = _unchanged,
            Updated = _updated,
            Moved = _moved,
            Deleted = _deleted,
            Ignored = _ignored,
            Encoded = _encoded,
            Skipped = remembered.Concat(_skippedNow.Values)
                .GroupBy(s => s.Failure.ReasonText, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            UnlistedFolders = unlistedFolders,
            ElapsedSeconds = elapsed,
            Stages = new StageTimes(TimeSpan.FromTicks(_readTicks), TimeSpan.FromTicks(_decodeTicks), TimeSpan.FromTicks(_preprocessTicks),
                TimeSpan.FromTicks(_encodeTicks), TimeSpan.FromTicks(_storeTicks), TimeSpan.FromTicks(_encodingTicks)),
            ImagesPerSecond = elapsed > 0 ? (_indexed + _updated) / elapsed : 0,
        };
    }
}
