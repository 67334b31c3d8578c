using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using ClipSearch.Storage.Embedded.Primitives;

namespace ClipSearch.Storage.Embedded.Ann;

internal sealed unsafe partial class AnnIndex
{
    /// <summary>
    /// Up to <paramref name="keys"/>.Length keys nearest to <paramref name="query"/> (unit length), best first;
    /// with a filter, only keys it accepts. Returns how many were found; -1 once disposed.
    /// <para>
    /// With a filter the beam holds the best ef accepted nodes, and the search walks (and scores) the rejected ones
    /// between them, so a filter accepting a share p walks ~ef/p nodes: 10x the work at 10%. Measured against two
    /// cheaper walks on 200,000 points (docs/BENCHMARKS.md), this one gave the most recall per CPU second: a beam of
    /// ef x p accepted nodes lost recall (0.77 against 0.93 at ef 64), and scoring only accepted nodes, reached
    /// through the rejected ones' lists (ACORN's two hops), needed more time for the same recall.
    /// </para>
    /// </summary>
    public int Search(ReadOnlySpan<float> query, Span<ulong> keys, Func<ulong, bool>? filter) => Search(query, keys, filter, out _);

    public int Search(ReadOnlySpan<float> query, Span<ulong> keys, Func<ulong, bool>? filter, out int scored)
    {
        scored = 0;
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
                var found = SearchWith(scratch, q, query, entry, keys, filter, ExpansionSearch);
                scored = scratch.Scored;
                return found;
            }
        }
        finally
        {
            _scratch.Return(scratch);
        }
    }

    private int SearchWith(Scratch scratch, short* q, ReadOnlySpan<float> query, int entry, Span<ulong> keys, Func<ulong, bool>? filter, int ef)
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

        var results = SearchLevel(scratch, q, current, best, Math.Max(ef, keys.Length), 0, filter, returnDead: false);
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
        var scored = 0;
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

            scored += n;
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

        scratch.Scored = scored;
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
}
