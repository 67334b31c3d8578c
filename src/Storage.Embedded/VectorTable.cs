using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded.Primitives;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// A collection held for search: float32 rows in a memory-mapped file (row i at i x dimension, see <see cref="RowFile"/>),
/// ids, stable keys and payloads by slot in memory, deleted slots reused. Each slot has a version (bumped when its
/// vector changes) and the version the approximate index holds, so a slot is "in the graph" only when the
/// two agree. Not thread-safe by itself: its lock guards it (many readers, one writer), held through
/// <see cref="ReadLock"/> and <see cref="WriteLock"/>.
/// </summary>
internal sealed unsafe partial class VectorTable(int dimension, RowFiles rowFiles, bool keepInt8 = false) : IDisposable
{
    private const int InitialCapacity = 1024;

    private RowFile? _rows;
    private bool _ownsRowFile;
    // Native, not a managed array: 10M rows of 512 int8 components are 5 GB, past the 2^31 elements of a .NET array.
    private Ann.NativeRegion? _int8 = keepInt8 ? new Ann.NativeRegion((nuint)InitialCapacity * (nuint)dimension) : null;
    private Guid[] _ids = new Guid[InitialCapacity];
    private long[] _keys = new long[InitialCapacity];
    private long[] _rowSeq = new long[InitialCapacity];
    private int[] _versions = new int[InitialCapacity];
    private int[] _annVersions = new int[InitialCapacity];
    private ImagePayload?[] _payloads = new ImagePayload?[InitialCapacity];
    private readonly Dictionary<Guid, int> _slots = [];
    private readonly Dictionary<long, int> _keySlots = [];
    private readonly Stack<int> _free = new();
    private int _used;
    private int _outsideGraph;

    // No slot below this is outside the graph: the background build's searches for slots to add start here, not at 0
    // (from 0 they would cost a pass over millions of slots per chunk added). Lowered by writes, raised by that search.
    private int _outsideFrom;

    // Never disposed: a reader or writer that queued for it while the table was disposed must still enter it to learn
    // that (disposing a ReaderWriterLockSlim with waiters throws, and leaves them waiting); it holds no native handle.
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private bool _disposed;

    public int Dimension => dimension;

    /// <summary>Holds the table shared until disposed: <c>using (table.ReadLock()) { ... }</c>.</summary>
    /// <exception cref="ObjectDisposedException">The table was disposed (its rows unmapped).</exception>
    public LockScope ReadLock() => Open(LockScope.Read(_lock));

    /// <summary>Holds the table exclusively until disposed.</summary>
    /// <exception cref="ObjectDisposedException">The table was disposed (its rows unmapped).</exception>
    public LockScope WriteLock() => Open(LockScope.Write(_lock));

    /// <summary>The change sequence number this table reflects (see the collections table).</summary>
    public long Seq { get; set; }

    /// <summary>Identity of the collection incarnation loaded (changes when it is dropped and created again).</summary>
    public string Generation { get; set; } = string.Empty;

    public int Count => _slots.Count;

    /// <summary>Slots in use or freed: scans run over [0, HighWater) and skip free slots.</summary>
    public int HighWater => _used;

    public Guid[] Ids => _ids;

    /// <summary>Live slots whose current vector the graph does not hold (those a graph search must scan).</summary>
    public int OutsideGraphCount => Volatile.Read(ref _outsideGraph);

    /// <summary>Raised (under the write lock) with the key of a point that left the table.</summary>
    public event Action<long>? KeyRemoved;

    public void Clear()
    {
        foreach (var key in _keySlots.Keys)
        {
            KeyRemoved?.Invoke(key);
        }

        _slots.Clear();
        _keySlots.Clear();
        _free.Clear();
        Array.Clear(_payloads);
        _used = 0;
        _outsideGraph = 0;
        _outsideFrom = 0;
    }

    public void Upsert(Guid id, long key, long rowSeq, ReadOnlySpan<float> vector, ImagePayload payload)
    {
        if (!_slots.TryGetValue(id, out var slot))
        {
            slot = _free.Count > 0 ? _free.Pop() : _used++;
            EnsureCapacity(slot + 1);
            _slots[id] = slot;
            _ids[slot] = id;
            _versions[slot]++;
            _outsideGraph++;
            _outsideFrom = Math.Min(_outsideFrom, slot);
        }
        else if (!vector.SequenceEqual(VectorAt(slot)))
        {
            if (InGraph(slot))
            {
                _outsideGraph++;
            }

            _versions[slot]++;
            _outsideFrom = Math.Min(_outsideFrom, slot);
        }

        if (_keys[slot] != key && _keySlots.TryGetValue(_keys[slot], out var old) && old == slot)
        {
            _keySlots.Remove(_keys[slot]);
        }

        _keys[slot] = key;
        _keySlots[key] = slot;
        _rowSeq[slot] = rowSeq;
        vector.CopyTo(new Span<float>(_rows!.Row(slot), dimension));
        if (keepInt8)
        {
            Int8Kernels.Quantize(vector, Int8Row(slot));
        }

        _payloads[slot] = payload;
    }

    /// <summary>
    /// Room for <paramref name="more"/> new points (rows mapped, their disk blocks allocated): taken before a write
    /// commits, so that a full disk fails the write then, not its update of the mirror after the commit.
    /// </summary>
    /// <exception cref="IOException">No space left for the grown row file.</exception>
    public void Reserve(int more) => EnsureCapacity(_used + more);

    /// <summary>Replaces the payload of the point at <paramref name="slot"/> (found through <see cref="TryGet"/> under the same write lock).</summary>
    public void SetPayloadAt(int slot, ImagePayload payload) => _payloads[slot] = payload;

    public bool Remove(Guid id)
    {
        if (!_slots.Remove(id, out var slot))
        {
            return false;
        }

        _keySlots.Remove(_keys[slot]);
        KeyRemoved?.Invoke(_keys[slot]);
        if (!InGraph(slot))
        {
            _outsideGraph--;
        }

        _payloads[slot] = null;
        _ids[slot] = Guid.Empty;
        _versions[slot]++;
        _free.Push(slot);
        return true;
    }

    public bool TryGet(Guid id, out int slot) => _slots.TryGetValue(id, out slot);

    public bool TryGetByKey(long key, out int slot) => _keySlots.TryGetValue(key, out slot);

    public ImagePayload? PayloadAt(int slot) => _payloads[slot];

    public long KeyAt(int slot) => _keys[slot];

    public long RowSeqAt(int slot) => _rowSeq[slot];

    public int VersionAt(int slot) => _versions[slot];

    public ReadOnlySpan<float> VectorAt(int slot) => new(_rows!.Row(slot), dimension);

    /// <summary>Most rows one span can cover (a span holds at most int.MaxValue components; ten million 512-d rows are 5 billion).</summary>
    public int MaxSpanRows => int.MaxValue / dimension;

    /// <summary>Rows [from, to) as one span (at most <see cref="MaxSpanRows"/>); valid while the lock is held.</summary>
    public ReadOnlySpan<float> Rows(int from, int to) => new(_rows!.Row(from), checked((to - from) * dimension));

    /// <summary>The first row (slot 0), rows following at <see cref="Dimension"/> floats each; valid while the lock is held.</summary>
    public float* RowPointer => _rows!.Pointer;

    /// <summary>Whether the approximate index holds the slot's current vector.</summary>
    public bool InGraph(int slot) => Volatile.Read(ref _annVersions[slot]) == _versions[slot];

    /// <summary>Records that the graph now holds version <paramref name="version"/> of the slot (ignored if the slot changed since).</summary>
    public void MarkInGraph(int slot, int version)
    {
        if (_versions[slot] == version && Interlocked.Exchange(ref _annVersions[slot], version) != version)
        {
            Interlocked.Decrement(ref _outsideGraph);
        }
    }

    /// <summary>Forgets which slots the graph holds (a new graph is being built).</summary>
    public void ClearGraphMarks()
    {
        for (var i = 0; i < _used; i++)
        {
            Volatile.Write(ref _annVersions[i], _versions[i] - 1);
        }

        _outsideFrom = 0;

        Volatile.Write(ref _outsideGraph, _slots.Count);
    }

    /// <summary>Live slots whose current vector the graph does not hold, at most <paramref name="max"/>, with their keys and versions.</summary>
    public List<(int Slot, long Key, int Version)> OutsideGraph(int max)
    {
        var list = new List<(int, long, int)>();
        for (var slot = _outsideFrom; slot < _used && list.Count < max; slot++)
        {
            if (_payloads[slot] is not null && !InGraph(slot))
            {
                list.Add((slot, _keys[slot], _versions[slot]));
            }
        }

        _outsideFrom = list.Count > 0 ? list[0].Item1 : _used;
        return list;
    }

    private void EnsureCapacity(int slots)
    {
        _rows!.EnsureCapacity(slots);
        if (slots <= _ids.Length)
        {
            return;
        }

        var before = _ids.Length;
        var capacity = Math.Max(slots, before * 2);
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _keys, capacity);
        Array.Resize(ref _rowSeq, capacity);
        Array.Resize(ref _versions, capacity);
        Array.Resize(ref _annVersions, capacity);
        Array.Resize(ref _payloads, capacity);
        if (_int8 is { } old)
        {
            var grown = new Ann.NativeRegion((nuint)capacity * (nuint)dimension);
            Buffer.MemoryCopy(old.Pointer, grown.Pointer, (long)capacity * dimension, (long)before * dimension);
            _int8 = grown;
            old.Dispose();
        }
    }

    /// <summary>The int8 copy of the row at <paramref name="slot"/> (when the table keeps one).</summary>
    private Span<sbyte> Int8Row(int slot) => new((sbyte*)_int8!.Pointer + ((long)slot * dimension), dimension);

    /// <summary>
    /// Unmaps the rows and frees the int8 copy, under the write lock: a search or a write in progress finishes first,
    /// and any that takes the lock afterwards gets an <see cref="ObjectDisposedException"/> instead of reading or
    /// writing unmapped memory.
    /// </summary>
    public void Dispose()
    {
        using (LockScope.Write(_lock))
        {
            _disposed = true;
            _rows?.Dispose();
            _rows = null;
            _int8?.Dispose();
            _int8 = null;
        }
    }

    private LockScope Open(LockScope held)
    {
        if (_disposed)
        {
            held.Dispose();
            throw new ObjectDisposedException(nameof(VectorTable), "The collection was closed.");
        }

        return held;
    }
}
