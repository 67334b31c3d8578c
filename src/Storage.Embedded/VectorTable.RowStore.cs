using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded.Primitives;

namespace ClipSearch.Storage.Embedded;

// The table's float32 rows on disk: opening a generation's row file, restoring slots from its stamp, stamping it on close.
internal sealed unsafe partial class VectorTable
{
    /// <summary>
    /// Empties the table and opens the row file of <paramref name="generation"/> (under the write lock). Returns the
    /// stamp of a cleanly closed file (its slots can be restored with <see cref="Place"/>), or null: load every vector.
    /// </summary>
    public RowStamp? OpenRows(string generation)
    {
        Clear();
        _rows?.Dispose();
        _rows = null;
        (_rows, var stamp, _ownsRowFile) = rowFiles.Open(generation, dimension);
        return stamp;
    }

    /// <summary>Forgets the rows of a stamp that turned out not to match the database (every vector is loaded instead).</summary>
    public void DiscardRows()
    {
        Clear();
        _rows!.Truncate();
    }

    /// <summary>
    /// Puts a point at the slot a stamp gave it, loading into an empty table (<see cref="OpenRows"/>, then any number of
    /// calls, then <see cref="EndPlacing"/>). An empty <paramref name="vector"/> means: the row file holds it already.
    /// </summary>
    public void Place(int slot, Guid id, long key, long rowSeq, ReadOnlySpan<float> vector, ImagePayload payload)
    {
        EnsureCapacity(slot + 1);
        _used = Math.Max(_used, slot + 1);
        _slots[id] = slot;
        _ids[slot] = id;
        _versions[slot]++;
        _outsideGraph++;
        _outsideFrom = Math.Min(_outsideFrom, slot);
        _keys[slot] = key;
        _keySlots[key] = slot;
        _rowSeq[slot] = rowSeq;
        _payloads[slot] = payload;
        var row = new Span<float>(_rows!.Row(slot), dimension);
        if (!vector.IsEmpty)
        {
            vector.CopyTo(row);
        }

        if (keepInt8)
        {
            Int8Kernels.Quantize(row, Int8Row(slot));
        }
    }

    /// <summary>Ends placing: the slots no point took become free (the lowest reused first).</summary>
    public void EndPlacing()
    {
        for (var slot = _used - 1; slot >= 0; slot--)
        {
            if (_payloads[slot] is null)
            {
                _ids[slot] = Guid.Empty;
                _free.Push(slot);
            }
        }
    }

    /// <summary>
    /// Flushes the rows and stamps them with the sequence number and slots they reflect, so the next start maps them
    /// instead of reading every vector from the database (the store is closing; a private file is never stamped).
    /// </summary>
    public void SaveRows()
    {
        if (_rows is null || !_ownsRowFile || Generation.Length == 0)
        {
            return;
        }

        var keys = new long[_used];
        for (var slot = 0; slot < _used; slot++)
        {
            keys[slot] = _payloads[slot] is null ? -1 : _keys[slot];
        }

        _rows.Flush();
        rowFiles.SaveStamp(Generation, dimension, new RowStamp(Seq, keys));
    }

    /// <summary>Empties the table and deletes its row file (the collection was dropped: 20 GB at ten million points).</summary>
    public void DropRows()
    {
        Clear();
        _rows?.Dispose();
        _rows = null;
        if (_ownsRowFile && Generation.Length > 0)
        {
            rowFiles.Delete(Generation);
        }
    }

    /// <summary>Payloads of slots [from, to) (null: a free slot).</summary>
    public ReadOnlySpan<ImagePayload?> Payloads(int from, int to) => _payloads.AsSpan(from, to - from);
}
