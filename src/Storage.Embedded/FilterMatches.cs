using ClipSearch.Core.Index;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// The points one filter matches at one state of a table (its seq and generation): how many, a bit per point key, so
/// the graph search tests a node with one load instead of a key lookup, a payload read and the filter's logic, and a
/// bit per slot, so an exact scan reads only the matches' rows and skips the others 64 at a time.
/// </summary>
internal sealed class FilterMatches(PointFilter filter, long seq, string generation, int count, ulong[] bits, ulong[] slotBits)
{
    public PointFilter Filter => filter;

    public long Seq => seq;

    public string Generation => generation;

    public int Count => count;

    /// <summary>Whether the point with this key matches (keys beyond the table's are not in it).</summary>
    public bool Accepts(ulong key) => key < (ulong)bits.Length * 64 && (bits[key >> 6] & (1UL << (int)(key & 63))) != 0;

    /// <summary>Bit s of word s / 64 set when slot s matches (as many words as the table's high water needs).</summary>
    public ReadOnlySpan<ulong> SlotBits => slotBits;

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
        var slotBits = new ulong[(table.HighWater + 63) / 64];
        var count = 0;
        for (var slot = 0; slot < table.HighWater; slot++)
        {
            if (table.PayloadAt(slot) is { } payload && filter.Matches(payload))
            {
                var key = table.KeyAt(slot);
                bits[key >> 6] |= 1UL << (int)(key & 63);
                slotBits[slot >> 6] |= 1UL << (slot & 63);
                count++;
            }
        }

        return new FilterMatches(filter, table.Seq, table.Generation, count, bits, slotBits);
    }
}
