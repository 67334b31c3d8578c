using System.Numerics.Tensors;
using ClipSearch.Core.Index;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// A collection held in memory for search: vectors in one contiguous array (row i at i x dimension),
/// ids and payloads by slot, deleted slots reused. Not thread-safe by itself: <see cref="Lock"/> guards it
/// (many readers, one writer).
/// </summary>
internal sealed class VectorTable(int dimension)
{
    private const int InitialCapacity = 1024;

    private float[] _vectors = new float[InitialCapacity * dimension];
    private Guid[] _ids = new Guid[InitialCapacity];
    private ImagePayload?[] _payloads = new ImagePayload?[InitialCapacity];
    private readonly Dictionary<Guid, int> _slots = [];
    private readonly Stack<int> _free = new();
    private int _used;

    public ReaderWriterLockSlim Lock { get; } = new(LockRecursionPolicy.NoRecursion);

    public int Dimension => dimension;

    /// <summary>The change sequence number this table reflects (see the collections table).</summary>
    public long Seq { get; set; }

    /// <summary>Identity of the collection incarnation loaded (changes when it is dropped and created again).</summary>
    public string Generation { get; set; } = string.Empty;

    public int Count => _slots.Count;

    /// <summary>Slots in use or freed: scans run over [0, HighWater) and skip free slots.</summary>
    public int HighWater => _used;

    public Guid[] Ids => _ids;

    public void Clear()
    {
        _slots.Clear();
        _free.Clear();
        Array.Clear(_payloads);
        _used = 0;
    }

    public void Upsert(Guid id, ReadOnlySpan<float> vector, ImagePayload payload)
    {
        if (!_slots.TryGetValue(id, out var slot))
        {
            slot = _free.Count > 0 ? _free.Pop() : _used++;
            EnsureCapacity(slot + 1);
            _slots[id] = slot;
            _ids[slot] = id;
        }

        vector.CopyTo(_vectors.AsSpan(slot * dimension, dimension));
        _payloads[slot] = payload;
    }

    public void SetPayload(Guid id, ImagePayload payload)
    {
        if (_slots.TryGetValue(id, out var slot))
        {
            _payloads[slot] = payload;
        }
    }

    public bool Remove(Guid id)
    {
        if (!_slots.Remove(id, out var slot))
        {
            return false;
        }

        _payloads[slot] = null;
        _free.Push(slot);
        return true;
    }

    public bool TryGet(Guid id, out int slot) => _slots.TryGetValue(id, out slot);

    public ImagePayload? PayloadAt(int slot) => _payloads[slot];

    public ReadOnlySpan<float> VectorAt(int slot) => _vectors.AsSpan(slot * dimension, dimension);

    /// <summary>Scores slots [from, to) against <paramref name="query"/> into <paramref name="top"/>, skipping free and filtered-out slots.</summary>
    public void Scan(ReadOnlySpan<float> query, int from, int to, PointFilter? filter, float minScore, TopK top)
    {
        var vectors = _vectors.AsSpan();
        for (var slot = from; slot < to; slot++)
        {
            var payload = _payloads[slot];
            if (payload is null || (filter is not null && !filter.Matches(payload)))
            {
                continue;
            }

            var score = TensorPrimitives.Dot(query, vectors.Slice(slot * dimension, dimension));
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

    private void EnsureCapacity(int slots)
    {
        if (slots <= _ids.Length)
        {
            return;
        }

        var capacity = Math.Max(slots, _ids.Length * 2);
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _payloads, capacity);
        Array.Resize(ref _vectors, capacity * dimension);
    }
}
