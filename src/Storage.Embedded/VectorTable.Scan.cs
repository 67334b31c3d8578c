using System.Numerics.Tensors;
using ClipSearch.Core;
using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded.Primitives;

namespace ClipSearch.Storage.Embedded;

// The table's scans: exact float32 and int8 scoring into a TopK, prefetching rows, and the filter scans over live slots.
internal sealed partial class VectorTable
{
    /// <summary>
    /// Scans the int8 copy for the <paramref name="candidates"/> best approximate scores in [from, to), then
    /// re-scores those with the float32 vectors into <paramref name="top"/>.
    /// </summary>
    public void ScanInt8(ReadOnlySpan<float> query, int from, int to, PointFilter? filter, float minScore, TopK top, int candidates)
    {
        Span<short> wide = stackalloc short[dimension];
        Int8Kernels.QuantizeWide(query, wide, Int8Kernels.Scale);
        var rough = new TopK(candidates, _ids);
        for (var slot = from; slot < to; slot++)
        {
            var payload = _payloads[slot];
            if (payload is null || (filter is not null && !filter.Matches(payload)))
            {
                continue;
            }

            var score = Int8Kernels.Dot(Int8Row(slot), wide);
            if (score >= rough.Threshold)
            {
                rough.Offer(score, slot);
            }
        }

        foreach (var (_, slot) in rough.Sorted())
        {
            ScoreSlot(query, slot, null, minScore, top);
        }
    }

    /// <summary>The share of the rows re-ranking reads that were out of the page cache (read from disk), as last sampled.</summary>
    public double RowsMissingShare => _rows?.MissingShare ?? 0;

    /// <summary>
    /// Asks the kernel to read these rows' pages from disk and the CPU to load them, now: rows reached at random (graph
    /// candidates) each cost a disk read (when not in the page cache) and a memory round trip when read one after
    /// another, but both overlap when requested together.
    /// </summary>
    public unsafe void Prefetch(ReadOnlySpan<int> slots)
    {
        _rows!.WillNeed(slots);
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        var rowBytes = dimension * sizeof(float);
        var vectors = RowPointer;
        foreach (var slot in slots)
        {
            var row = (byte*)(vectors + ((long)slot * dimension));
            for (var offset = 0; offset < rowBytes; offset += 64)
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + offset);
            }
        }
    }

    /// <summary>Scores one slot, if live and matching, into <paramref name="top"/>.</summary>
    public void ScoreSlot(ReadOnlySpan<float> query, int slot, PointFilter? filter, float minScore, TopK top)
    {
        var payload = _payloads[slot];
        if (payload is null || (filter is not null && !filter.Matches(payload)))
        {
            return;
        }

        var score = TensorPrimitives.Dot(query, VectorAt(slot));
        if (score >= minScore && score >= top.Threshold)
        {
            top.Offer(score, slot);
        }
    }

    // Rows scored per kernel call: 256 x 512 floats is 512 KB, large enough to amortise the call and small enough
    // that the block's scores stay in L1.
    private const int ScanBlockRows = 256;

    /// <summary>Scores slots [from, to) against <paramref name="query"/> into <paramref name="top"/>, skipping free and filtered-out slots; with <paramref name="onlyOutsideGraph"/>, only slots the graph does not hold.</summary>
    public void Scan(ReadOnlySpan<float> query, int from, int to, PointFilter? filter, float minScore, TopK top, bool onlyOutsideGraph = false)
    {
        if (onlyOutsideGraph && OutsideGraphCount == 0)
        {
            return;
        }

        if (filter is not null || onlyOutsideGraph)
        {
            ScanSelected(query, from, to, filter, minScore, top, onlyOutsideGraph);
            return;
        }

        // Every row is read in address order, free slots too (their stale scores are dropped below: rarer than a
        // branch per row is dear), and only a score above the current k-th best touches the payloads or the heap.
        Span<float> scores = stackalloc float[ScanBlockRows];
        var cutoff = Math.Max(minScore, top.Threshold);
        for (var block = from; block < to; block += ScanBlockRows)
        {
            var rows = Math.Min(ScanBlockRows, to - block);
            var blockScores = scores[..rows];
            DotKernels.DotRows(query, RowBlock(block, rows), dimension, blockScores);
            for (var r = 0; r < blockScores.Length; r++)
            {
                if (blockScores[r] >= cutoff && _payloads[block + r] is not null)
                {
                    top.Offer(blockScores[r], block + r);
                    cutoff = Math.Max(minScore, top.Threshold);
                }
            }
        }
    }

    // A filter or the graph's marks decide first, per slot, so a selective filter reads only its matches' rows.
    private void ScanSelected(ReadOnlySpan<float> query, int from, int to, PointFilter? filter, float minScore, TopK top, bool onlyOutsideGraph)
    {
        Span<float> score = stackalloc float[1];
        for (var slot = from; slot < to; slot++)
        {
            var payload = _payloads[slot];
            if (payload is null || (onlyOutsideGraph && InGraph(slot)) || (filter is not null && !filter.Matches(payload)))
            {
                continue;
            }

            ScoreSlot(query, slot, minScore, top, score);
        }
    }

    /// <summary>
    /// Scores the slots in [from, to) whose bit is set in <paramref name="slotBits"/> (a filter's matches, see
    /// <see cref="FilterMatches.SlotBits"/>) into <paramref name="top"/>: a word of 64 non-matching slots costs one load,
    /// where <see cref="Scan"/> with the filter evaluates it on every slot's payload.
    /// </summary>
    public void ScanSlots(ReadOnlySpan<float> query, int from, int to, ReadOnlySpan<ulong> slotBits, float minScore, TopK top)
    {
        Span<float> score = stackalloc float[1];
        to = Math.Min(to, slotBits.Length * 64);
        for (var word = from >> 6; word << 6 < to; word++)
        {
            var bits = slotBits[word];
            while (bits != 0)
            {
                var slot = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                if (slot < from || slot >= to || _payloads[slot] is null)
                {
                    continue;
                }

                ScoreSlot(query, slot, minScore, top, score);
            }
        }
    }

    /// <summary>Scores one slot's row (<paramref name="score"/>: room for one value) and offers it to <paramref name="top"/> when it passes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void ScoreSlot(ReadOnlySpan<float> query, int slot, float minScore, TopK top, Span<float> score)
    {
        DotKernels.DotRows(query, RowBlock(slot, 1), dimension, score);
        if (score[0] >= minScore && score[0] >= top.Threshold)
        {
            top.Offer(score[0], slot);
        }
    }

    /// <summary>Rows [slot, slot + rows) as one span: the only place the scans learn where rows live.</summary>
    private ReadOnlySpan<float> RowBlock(int slot, int rows) => Rows(slot, slot + rows);

    /// <summary>Ids of live slots whose payload matches <paramref name="filter"/> (all when null).</summary>
    public List<Guid> Matching(PointFilter? filter)
    {
        var ids = new List<Guid>();
        for (var slot = 0; slot < _used; slot++)
        {
            if (_payloads[slot] is { } p && (filter is null || filter.Matches(p)))
            {
                ids.Add(_ids[slot]);
            }
        }

        return ids;
    }

    /// <summary>Number of live slots matching <paramref name="filter"/>.</summary>
    public int CountMatching(PointFilter filter)
    {
        var n = 0;
        for (var slot = 0; slot < _used; slot++)
        {
            if (_payloads[slot] is { } p && filter.Matches(p))
            {
                n++;
            }
        }

        return n;
    }
}
