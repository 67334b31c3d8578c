using ClipSearch.Core.Index;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// The points one filter matches at one state of a table (its seq and generation): how many, and a bit per point key,
/// so the graph search tests a node with one load instead of a key lookup, a payload read and the filter's logic.
/// </summary>
internal sealed class FilterMatches(PointFilter filter, long seq, string generation, int count, ulong[] bits)
{
    public PointFilter Filter => filter;

    public long Seq => seq;

    public string Generation => generation;

    public int Count => count;

    /// <summary>Whether the point with this key matches (keys beyond the table's are not in it).</summary>
    public bool Accepts(ulong key) => key < (ulong)bits.Length * 64 && (bits[key >> 6] & (1UL << (int)(key & 63))) != 0;

    /// <summary>Evaluates <paramref name="filter"/> on every live point of <paramref name="table"/> (read lock held).</summary>
    public static FilterMatches Of(VectorTable table, PointFilter filter)
    {
        var maxKey = -1L;
        for (var slot = 0; slot < table.HighWater; slot++)
        {
            if (table.PayloadAt(slot) is not null)
            {
                maxKey = Math.Max(maxKey, table.KeyAt(slot));
            }
        }

        var bits = new ulong[(maxKey + 64) / 64];
        var count = 0;
        for (var slot = 0; slot < table.HighWater; slot++)
        {
            if (table.PayloadAt(slot) is { } payload && filter.Matches(payload))
            {
                var key = table.KeyAt(slot);
                bits[key >> 6] |= 1UL << (int)(key & 63);
                count++;
            }
        }

        return new FilterMatches(filter, table.Seq, table.Generation, count, bits);
    }
}
