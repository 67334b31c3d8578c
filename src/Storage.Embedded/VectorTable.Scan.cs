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

            var score = Int8Kernels.Dot(_int8.AsSpan(slot * dimension, dimension), wide);
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

    /// <summary>
    /// Asks the CPU to start loading these rows now: rows reached at random (graph candidates) each cost a
    /// memory round trip when read one after another, but their loads overlap when requested together.
    /// </summary>
    public unsafe void Prefetch(ReadOnlySpan<int> slots)
    {
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

    /// <summary>Scores slots [from, to) against <paramref name="query"/> into <paramref name="top"/>, skipping free and filtered-out slots; with <paramref name="onlyOutsideGraph"/>, only slots the graph does not hold.</summary>
    public void Scan(ReadOnlySpan<float> query, int from, int to, PointFilter? filter, float minScore, TopK top, bool onlyOutsideGraph = false)
    {
        if (onlyOutsideGraph && OutsideGraphCount == 0)
        {
            return;
        }

        if (to - from > MaxSpanRows)
        {
            for (var start = from; start < to; start += MaxSpanRows)
            {
                Scan(query, start, Math.Min(to, start + MaxSpanRows), filter, minScore, top, onlyOutsideGraph);
            }

            return;
        }

        // The rows [from, to) as one span: row r of it is slot from + r.
        var vectors = Rows(from, to);
        var slot = from;
        if (filter is null && !onlyOutsideGraph)
        {
            // Fast path: four live rows at a time share each load of the query.
            Span<float> scores = stackalloc float[4];
            for (; slot + 4 <= to; slot += 4)
            {
                if (_payloads[slot] is null || _payloads[slot + 1] is null || _payloads[slot + 2] is null || _payloads[slot + 3] is null)
                {
                    for (var s = slot; s < slot + 4; s++)
                    {
                        ScoreSlot(query, s, null, minScore, top);
                    }

                    continue;
                }

                DotKernels.Dot4(query, vectors, slot - from, dimension, scores);
                for (var r = 0; r < 4; r++)
                {
                    if (scores[r] >= minScore && scores[r] >= top.Threshold)
                    {
                        top.Offer(scores[r], slot + r);
                    }
                }
            }
        }

        for (; slot < to; slot++)
        {
            var payload = _payloads[slot];
            if (payload is null || (onlyOutsideGraph && InGraph(slot)) || (filter is not null && !filter.Matches(payload)))
            {
                continue;
            }

            var score = TensorPrimitives.Dot(query, vectors.Slice((slot - from) * dimension, dimension));
            if (score >= minScore && score >= top.Threshold)
            {
                top.Offer(score, slot);
            }
        }
    }

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
