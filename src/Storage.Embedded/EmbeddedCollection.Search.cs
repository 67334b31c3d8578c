using System.Runtime.CompilerServices;
using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded.Ann;

namespace ClipSearch.Storage.Embedded;

internal sealed partial class EmbeddedCollection
{
    // Below this many slots one thread scans faster than several can be started and merged.
    private const int ParallelScanThreshold = 32_768;

    private long _graphSearches;

    // Nodes an unfiltered graph search scores, a running average over the graph searches (filtered ones scaled by
    // their filter's share): what a filtered walk is weighed with against an exact scan of the filter's matches.
    private double _scoredPerSearch;
    private FilterMatches? _filterMatches;

    /// <summary>Searches answered through the HNSW graph so far (diagnostics for tests and benchmarks).</summary>
    internal long GraphSearches => Interlocked.Read(ref _graphSearches);

    /// <summary>The running average of nodes an unfiltered graph search scores (0 before the first graph search).</summary>
    internal double ScoredPerSearch => Volatile.Read(ref _scoredPerSearch);

    public Task<IReadOnlyList<SearchHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default)
    {
        VectorChecks.ValidateQuery(query, Name, Dimension);
        Refresh();
        var need = query.Offset + query.K;
        var minScore = query.MinScore ?? float.NegativeInfinity;
        return Task.FromResult<IReadOnlyList<SearchHit>>(Read(() =>
            (_graph?.Index is { } graph && _table.Count >= _options.Ann.Threshold ? SearchGraph(graph, query, need, minScore) : null)
            ?? SearchExact(query, need, minScore, cancellationToken)));
    }

    /// <summary>
    /// The graph's candidates re-scored exactly, plus an exact scan of the points the graph does not hold yet.
    /// Null (search exactly instead) when a filter is selective enough that scanning its matches is cheaper,
    /// or when the graph could not fill the page.
    /// </summary>
    private List<SearchHit>? SearchGraph(IGraphIndex graph, VectorQuery query, int need, float minScore)
    {
        Func<ulong, bool>? accept = null;
        var share = 1.0;
        if (query.Filter is { } filter)
        {
            var matches = Matches(filter);
            if (ScanIsCheaper(matches.Count, need))
            {
                return null;
            }

            accept = matches.Accepts;
            share = matches.Count / (double)Math.Max(1, _table.Count);
        }

        Interlocked.Increment(ref _graphSearches);
        var wanted = Math.Max(need * 2, need + 10);
        var keys = wanted <= 256 ? stackalloc ulong[wanted] : new ulong[wanted];
        var found = graph.Search(query.Vector, keys, accept, out var scored);
        if (found < 0)
        {
            return null; // the graph was replaced meanwhile, and the marks of which points it holds are being reset
        }

        // What an unfiltered search would have scored: a filtered walk scores about 1 / share times as many nodes.
        var estimate = scored * share;
        var mean = Volatile.Read(ref _scoredPerSearch);
        Volatile.Write(ref _scoredPerSearch, mean == 0 ? estimate : mean + ((estimate - mean) / 16)); // a lost update between searches only delays the average

        var ids = _table.Ids;
        var top = new TopK(need, ids);
        Span<int> slots = stackalloc int[found];
        var live = 0;
        for (var i = 0; i < found; i++)
        {
            if (_table.TryGetByKey((long)keys[i], out var slot) && _table.InGraph(slot))
            {
                slots[live++] = slot;
            }
        }

        _table.Prefetch(slots[..live]);
        foreach (var slot in slots[..live])
        {
            _table.ScoreSlot(query.Vector, slot, query.Filter, minScore, top);
        }

        _table.Scan(query.Vector, 0, _table.HighWater, query.Filter, minScore, top, onlyOutsideGraph: true);
        return top.Count < need ? null : Hits(top, query.Offset);
    }

    /// <summary>
    /// Whether an exact scan of a filter's <paramref name="matches"/> costs less than a filtered graph walk. The walk
    /// scores about (nodes an unfiltered search scores) / (share of points matching) nodes, since it walks the rejected
    /// nodes between the accepted ones; the scan scores each match once. A node of the walk and a row of the scan cost
    /// about the same, so the two counts are compared as they are: the scan wins below about sqrt(nodes a search
    /// scores x points) matches (2.4% of 1M points at ef 64, under 1% at 10M), where a fixed share (5%, the rule
    /// before) scanned too much at scale. Measured on 1M x 512 clustered points (ef 64, the machine shared with another
    /// benchmark): an unfiltered search scored ~600 nodes in 207 us, a 10%-filtered walk ~5,900 in 1.5 ms (260-340 ns a
    /// node, re-ranking included), the scan of that filter's 100,000 matches 36 ms (~360 ns a row). Until a graph
    /// search has measured its nodes, the old rule; tiny match sets (20 pages) are always scanned.
    /// </summary>
    private bool ScanIsCheaper(int matches, int need) =>
        ScanIsCheaper(matches, _table.Count, need, Volatile.Read(ref _scoredPerSearch), _table.RowsMissingShare);

    /// <summary>
    /// <see cref="ScanIsCheaper(int, int)"/> from its measures: <paramref name="perSearch"/> nodes an unfiltered search
    /// scores (0: not measured yet), and the share of float32 rows found out of the page cache. A row read from disk
    /// costs ~1,000 rows read from memory (a random 4 KB read took ~360 us here, a row scored ~360 ns), and the scan
    /// reads its matches' float32 rows where the walk scores int8 rows held in memory, so rows missing from the page
    /// cache (10M rows on this machine) weigh the scan down by that much.
    /// </summary>
    internal static bool ScanIsCheaper(int matches, int points, int need, double perSearch, double rowsMissing)
    {
        if (matches <= need * 20)
        {
            return true;
        }

        if (perSearch <= 0)
        {
            return matches <= points / 20;
        }

        var share = matches / (double)Math.Max(1, points);
        var rowCost = 1 + (rowsMissing * DiskReadInRows);
        return matches * rowCost <= perSearch / share;
    }

    private const double DiskReadInRows = 1000;

    /// <summary>The points matching <paramref name="filter"/>, remembered until the table changes (read lock held): a pass over every payload costs 10M checks at scale, while the same filter comes back query after query.</summary>
    private FilterMatches Matches(PointFilter filter)
    {
        var cached = Volatile.Read(ref _filterMatches);
        if (cached is not null && cached.Seq == _table.Seq && cached.Generation == _table.Generation && cached.Filter.Equals(filter))
        {
            return cached;
        }

        var matches = FilterMatches.Of(_table, filter);
        Volatile.Write(ref _filterMatches, matches);
        return matches;
    }

    private List<SearchHit> Hits(TopK top, int offset) =>
        top.Sorted().Skip(offset).Select(h => new SearchHit(_table.Ids[h.Slot], h.Score, _table.PayloadAt(h.Slot)!)).ToList();

    private List<SearchHit> SearchExact(VectorQuery query, int need, float minScore, CancellationToken cancellationToken)
    {
        var ids = _table.Ids;
        var top = new TopK(need, ids);
        var slots = _table.HighWater;
        var threads = _options.SearchThreads > 0 ? _options.SearchThreads : Environment.ProcessorCount;
        if (_options.ScanPrecision == ScanPrecision.Int8Rerank)
        {
            // int8 scores rank almost like float32 ones; re-scoring 4x the page (at least 40) recovers the exact top k.
            _table.ScanInt8(query.Vector, 0, slots, query.Filter, minScore, top, Math.Max(need * 4, 40));
        }
        else
        {
            // With a filter, only its matches' rows are read (their slots, remembered like the graph's accepted keys).
            var matches = query.Filter is { } filter ? Matches(filter) : null;
            void Scan(int from, int to, TopK into)
            {
                if (matches is null)
                {
                    _table.Scan(query.Vector, from, to, null, minScore, into);
                }
                else
                {
                    _table.ScanSlots(query.Vector, from, to, matches.SlotBits, minScore, into);
                }
            }

            if (threads <= 1 || (matches?.Count ?? slots) < ParallelScanThreshold)
            {
                Scan(0, slots, top);
                return Hits(top, query.Offset);
            }

            var chunk = (slots + threads - 1) / threads;
            var partial = new TopK[threads];
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, t =>
            {
                partial[t] = new TopK(need, ids);
                Scan(Math.Min(slots, t * chunk), Math.Min(slots, (t + 1) * chunk), partial[t]);
            });
            foreach (var p in partial)
            {
                top.Merge(p);
            }
        }

        return Hits(top, query.Offset);
    }

    public Task<StoredPoint?> GetAsync(Guid id, bool withVector = false, CancellationToken cancellationToken = default)
    {
        Refresh();
        return Task.FromResult(Read(() => _table.TryGet(id, out var slot)
            ? new StoredPoint(id, withVector ? CopyVector(slot) : null, _table.PayloadAt(slot)!)
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
                    ? new StoredPoint(id, withVectors ? CopyVector(slot) : null, _table.PayloadAt(slot)!)
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

    public async Task ReadVectorBatchesAsync(PointFilter? filter, int batchSize, Func<IReadOnlyList<StoredPoint>, ReadOnlyMemory<float>, Task> onBatch,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onBatch);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        filter?.Validate();
        Refresh();
        // In key order (the order points were first stored): a job that writes back what it read (categorization's
        // labels, keyed by point key) then appends to its table instead of inserting all over it.
        var ids = Read(() =>
        {
            var matching = _table.Matching(filter);
            var keys = new long[matching.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = _table.TryGet(matching[i], out var slot) ? _table.KeyAt(slot) : long.MaxValue;
            }

            var sorted = matching.ToArray();
            Array.Sort(keys, sorted);
            return sorted;
        });
        var buffer = new float[Math.Min(batchSize, Math.Max(1, ids.Length)) * Dimension];
        for (var start = 0; start < ids.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new ArraySegment<Guid>(ids, start, Math.Min(batchSize, ids.Length - start));
            var points = Read(() =>
            {
                var found = new List<StoredPoint>(batch.Count);
                foreach (var id in batch)
                {
                    if (_table.TryGet(id, out var slot))
                    {
                        _table.VectorAt(slot).CopyTo(buffer.AsSpan(found.Count * Dimension, Dimension));
                        found.Add(new StoredPoint(id, null, _table.PayloadAt(slot)!));
                    }
                }

                return found;
            });
            if (points.Count > 0)
            {
                await onBatch(points, buffer.AsMemory(0, points.Count * Dimension)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every slot's row, id and payload to <paramref name="visit"/>, in blocks, each worker a contiguous share of the slots.</summary>
    internal void VisitRows(int workers, StoredRowsVisitor visit, CancellationToken cancellationToken)
    {
        const int BlockRows = 256;
        Refresh();
        using var hold = _table.ReadLock();
        var slots = _table.HighWater;
        var share = (slots + workers - 1) / workers;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, worker =>
        {
            var end = Math.Min(slots, (worker + 1) * share);
            for (var from = worker * share; from < end; from += BlockRows)
            {
                var to = Math.Min(end, from + BlockRows);
                visit(worker, _table.Rows(from, to), _table.Ids.AsSpan(from, to - from), _table.Payloads(from, to));
            }
        });
    }

    /// <summary>A point's vector, copied out of the mirror (into an array that is not zeroed first: it is overwritten whole).</summary>
    private float[] CopyVector(int slot)
    {
        var source = _table.VectorAt(slot);
        var copy = GC.AllocateUninitializedArray<float>(source.Length);
        source.CopyTo(copy);
        return copy;
    }
}
