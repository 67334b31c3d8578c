using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using ClipSearch.Storage.Embedded.Primitives;

namespace ClipSearch.Storage.Embedded.Ann;

internal sealed unsafe partial class AnnIndex
{
    /// <summary>
    /// Up to <paramref name="keys"/>.Length keys nearest to <paramref name="query"/> (unit length), best first;
    /// with a filter, only keys it accepts. Returns how many were found; -1 once disposed.
    /// </summary>
    public int Search(ReadOnlySpan<float> query, Span<ulong> keys, Func<ulong, bool>? filter)
    {
        if (query.Length != Dimension)
        {
            throw new ArgumentException($"Expected {Dimension} components, got {query.Length}.", nameof(query));
        }

        using var gate = LockScope.Read(_gate);

        // Disposed (replaced by a rebuilt graph after this search took it): -1, and the caller scans exactly.
        if (_vectors == null)
        {
            return -1;
        }

        var entry = _entry;
        if (entry < 0 || keys.IsEmpty)
        {
            return 0;
        }

        var scratch = _scratch.Rent(_capacity);
        try
        {
            fixed (short* q = scratch.Query)
            {
                return SearchWith(scratch, q, query, entry, keys, filter);
            }
        }
        finally
        {
            _scratch.Return(scratch);
        }
    }

    private int SearchWith(Scratch scratch, short* q, ReadOnlySpan<float> query, int entry, Span<ulong> keys, Func<ulong, bool>? filter)
    {
        Int8Kernels.QuantizeWide(query, scratch.Query, Scale);

        // The entry's own level, not _topLevel: an insert raising the top may have changed one but not yet the other.
        var top = (int)_levels[entry];
        var current = entry;
        var best = Score(q, current);
        for (var level = top; level > 0; level--)
        {
            Greedy(q, level, ref current, ref best);
        }

        var results = SearchLevel(scratch, q, current, best, Math.Max(ExpansionSearch, keys.Length), 0, filter, returnDead: false);
        var found = Math.Min(keys.Length, results.Count);
        while (results.Count > found)
        {
            results.PopMin();
        }

        for (var i = found - 1; i >= 0; i--)
        {
            keys[i] = _keys[Heap.Node(results.PopMin())];
        }

        return found;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Score(short* query, int node) => Int8Kernels.DotPadded(Row(node), query, RowBytes);

    /// <summary>Moves <paramref name="current"/> to its best neighbour at <paramref name="level"/> until none is better.</summary>
    private void Greedy(short* query, int level, ref int current, ref int best)
    {
        bool moved;
        do
        {
            moved = false;
            var links = Links(current, level);
            var count = Volatile.Read(ref links[0]);
            for (var i = 1; i <= count; i++)
            {
                var n = links[i];
                var s = Score(query, n);
                if (s > best)
                {
                    best = s;
                    current = n;
                    moved = true;
                }
            }
        }
        while (moved);
    }

    /// <summary>
    /// The beam search of one level from <paramref name="start"/>: the best <paramref name="ef"/> nodes found,
    /// as a min-heap of packed (score, node). Tombstones and nodes the filter rejects are walked through
    /// but kept out of the results (unless <paramref name="returnDead"/>, as building wants).
    /// </summary>
    private Heap SearchLevel(Scratch scratch, short* query, int start, int startScore, int ef, int level, Func<ulong, bool>? filter, bool returnDead)
    {
        var visited = scratch.NextVisited();
        var tag = scratch.Tag;
        var candidates = scratch.Candidates;
        var results = scratch.Results;
        candidates.Clear();
        results.Clear();
        visited[start] = tag;
        candidates.Push(Heap.Pack(startScore, start));
        if (returnDead || Accepts(start, filter))
        {
            results.Push(Heap.Pack(startScore, start));
        }

        var fresh = scratch.Fresh;
        while (candidates.Count > 0)
        {
            var packed = candidates.PopMax();
            var score = Heap.Score(packed);
            if (results.Count >= ef && score < Heap.Score(results.Min))
            {
                break;
            }

            var links = Links(Heap.Node(packed), level);
            var count = Volatile.Read(ref links[0]);
            var n = 0;
            for (var i = 1; i <= count; i++)
            {
                var node = links[i];
                if (visited[node] != tag)
                {
                    visited[node] = tag;
                    fresh[n++] = node;
                    Prefetch(node);
                }
            }

            for (var i = 0; i < n; i++)
            {
                var node = fresh[i];
                var s = Score(query, node);
                if (results.Count < ef || s > Heap.Score(results.Min))
                {
                    candidates.Push(Heap.Pack(s, node));
                    if (returnDead || Accepts(node, filter))
                    {
                        results.Push(Heap.Pack(s, node));
                        if (results.Count > ef)
                        {
                            results.PopMin();
                        }
                    }
                }
            }
        }

        return results;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Accepts(int node, Func<ulong, bool>? filter) => Volatile.Read(ref _dead[node]) == 0 && (filter is null || filter(_keys[node]));

    /// <summary>Starts loading a node's row: the loads of a list's new neighbours then overlap instead of queueing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Prefetch(int node)
    {
        if (Sse.IsSupported)
        {
            var row = (byte*)Row(node);
            for (var offset = 0; offset < RowBytes; offset += 64)
            {
                Sse.Prefetch0(row + offset);
            }
        }
    }

    /// <summary>Links a new node into every level up to its own (the entry point's lock is held when it raises the top level).</summary>
    private void Insert(int node, int level)
    {
        var raisesTop = false;
        _entryLock.Enter();
        try
        {
            if (_entry < 0)
            {
                _topLevel = level;
                _entry = node;
                return;
            }

            raisesTop = level > _topLevel;
            if (!raisesTop)
            {
                _entryLock.Exit();
            }

            var scratch = _scratch.Rent(_capacity);
            try
            {
                fixed (short* q = scratch.Query)
                {
                    Link(scratch, q, node, level);
                }
            }
            finally
            {
                _scratch.Return(scratch);
            }

            if (raisesTop)
            {
                _topLevel = level;
                _entry = node;
            }
        }
        finally
        {
            if (raisesTop || _entryLock.IsHeldByCurrentThread)
            {
                _entryLock.Exit();
            }
        }
    }

    private void Link(Scratch scratch, short* q, int node, int level)
    {
        var current = _entry;
        var top = (int)_levels[current];
        Int8Kernels.Widen(Row(node), scratch.Query, RowBytes);
        var best = Score(q, current);
        for (var l = top; l > level; l--)
        {
            Greedy(q, l, ref current, ref best);
        }

        for (var l = Math.Min(level, top); l >= 0; l--)
        {
            var found = SearchLevel(scratch, q, current, best, _expansionAdd, l, null, returnDead: true);
            var sorted = scratch.Sorted(found);
            current = Heap.Node(sorted[0]);
            best = Heap.Score(sorted[0]);
            var chosen = SelectNeighbours(sorted, _m, scratch.Chosen, exclude: node);
            var own = Links(node, l);
            lock (NodeLock(node))
            {
                for (var i = 0; i < chosen.Length; i++)
                {
                    own[i + 1] = chosen[i];
                }

                Volatile.Write(ref own[0], chosen.Length);
            }

            foreach (var neighbour in chosen)
            {
                Connect(neighbour, node, l, scratch);
            }
        }
    }

    /// <summary>
    /// HNSW's neighbour heuristic: walking <paramref name="sorted"/> (packed scores against the base, best first),
    /// keeps a candidate only if it is closer to the base than to every neighbour kept so far (so the links spread
    /// in different directions), up to <paramref name="max"/>.
    /// </summary>
    private ReadOnlySpan<int> SelectNeighbours(ReadOnlySpan<long> sorted, int max, int[] chosen, int exclude)
    {
        var kept = 0;
        foreach (var packed in sorted)
        {
            if (kept >= max)
            {
                break;
            }

            var candidate = Heap.Node(packed);
            if (candidate == exclude)
            {
                continue;
            }

            var toBase = Heap.Score(packed);
            var good = true;
            for (var j = 0; j < kept; j++)
            {
                if (Int8Kernels.DotPadded(Row(candidate), Row(chosen[j]), RowBytes) > toBase)
                {
                    good = false;
                    break;
                }
            }

            if (good)
            {
                chosen[kept++] = candidate;
            }
        }

        return chosen.AsSpan(0, kept);
    }

    /// <summary>Adds <paramref name="node"/> to <paramref name="neighbour"/>'s list, re-selecting the list with the heuristic when full.</summary>
    private void Connect(int neighbour, int node, int level, Scratch scratch)
    {
        var max = MaxLinks(level);
        var links = Links(neighbour, level);
        lock (NodeLock(neighbour))
        {
            var count = links[0];
            for (var i = 1; i <= count; i++)
            {
                if (links[i] == node)
                {
                    return;
                }
            }

            if (count < max)
            {
                links[count + 1] = node;
                Volatile.Write(ref links[0], count + 1);
                return;
            }

            var pool = scratch.Relinks.AsSpan(0, count + 1);
            var row = Row(neighbour);
            for (var i = 0; i < count; i++)
            {
                pool[i] = Heap.Pack(Int8Kernels.DotPadded(row, Row(links[i + 1]), RowBytes), links[i + 1]);
            }

            pool[count] = Heap.Pack(Int8Kernels.DotPadded(row, Row(node), RowBytes), node);
            pool.Sort();
            pool.Reverse();
            var chosen = SelectNeighbours(pool, max, scratch.Reselected, exclude: neighbour);

            // Entries first, then the length: a search reading the list meanwhile sees only valid nodes.
            for (var i = 0; i < chosen.Length; i++)
            {
                links[i + 1] = chosen[i];
            }

            Volatile.Write(ref links[0], chosen.Length);
        }
    }
}
