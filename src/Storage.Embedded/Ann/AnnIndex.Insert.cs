using ClipSearch.Storage.Embedded.Primitives;

namespace ClipSearch.Storage.Embedded.Ann;

// Building: linking a new node into the graph (HNSW's insertion, with its neighbour-selection heuristic).
internal sealed unsafe partial class AnnIndex
{
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
