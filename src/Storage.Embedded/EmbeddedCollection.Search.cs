using System.Runtime.CompilerServices;
using ClipSearch.Core.Index;

namespace ClipSearch.Storage.Embedded;

internal sealed partial class EmbeddedCollection
{
    // Below this many slots one thread scans faster than several can be started and merged.
    private const int ParallelScanThreshold = 32_768;

    public Task<IReadOnlyList<SearchHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default)
    {
        VectorChecks.ValidateQuery(query, Name, Dimension);
        Refresh();
        var need = query.Offset + query.K;
        var minScore = query.MinScore ?? float.NegativeInfinity;
        return Task.FromResult<IReadOnlyList<SearchHit>>(Read(() =>
        {
            var ids = _table.Ids;
            var top = new TopK(need, ids);
            var slots = _table.HighWater;
            var threads = _options.SearchThreads > 0 ? _options.SearchThreads : Environment.ProcessorCount;
            if (threads <= 1 || slots < ParallelScanThreshold)
            {
                _table.Scan(query.Vector, 0, slots, query.Filter, minScore, top);
            }
            else
            {
                var chunk = (slots + threads - 1) / threads;
                var partial = new TopK[threads];
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, t =>
                {
                    partial[t] = new TopK(need, ids);
                    _table.Scan(query.Vector, t * chunk, Math.Min(slots, (t + 1) * chunk), query.Filter, minScore, partial[t]);
                });
                foreach (var p in partial)
                {
                    top.Merge(p);
                }
            }

            return top.Sorted().Skip(query.Offset).Select(h => new SearchHit(ids[h.Slot], h.Score, _table.PayloadAt(h.Slot)!)).ToList();
        }));
    }

    public Task<StoredPoint?> GetAsync(Guid id, bool withVector = false, CancellationToken cancellationToken = default)
    {
        Refresh();
        return Task.FromResult(Read(() => _table.TryGet(id, out var slot)
            ? new StoredPoint(id, withVector ? _table.VectorAt(slot).ToArray() : null, _table.PayloadAt(slot)!)
            : null));
    }

    public Task<long> CountAsync(PointFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate();
        Refresh();
        return Task.FromResult(Read(() => filter is null ? _table.Count : (long)_table.Matching(filter).Count));
    }

    public async IAsyncEnumerable<IReadOnlyList<StoredPoint>> ScrollAsync(PointFilter? filter = null, int batchSize = 1000, bool withVectors = true,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        filter?.Validate();
        Refresh();
        var ids = Read(() => _table.Matching(filter));
        ids.Sort();
        for (var start = 0; start < ids.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = ids.GetRange(start, Math.Min(batchSize, ids.Count - start));
            var points = Read(() => batch
                .Select(id => _table.TryGet(id, out var slot)
                    ? new StoredPoint(id, withVectors ? _table.VectorAt(slot).ToArray() : null, _table.PayloadAt(slot)!)
                    : null)
                .OfType<StoredPoint>()
                .ToList());
            if (points.Count > 0)
            {
                yield return points;
            }

            await Task.Yield();
        }
    }
}
