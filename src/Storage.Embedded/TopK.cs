namespace ClipSearch.Storage.Embedded;

/// <summary>
/// The best <c>capacity</c> (score, slot) pairs seen, as a min-heap whose root is the worst kept. Ties on
/// score are broken by id (a smaller id ranks higher), so results are deterministic.
/// </summary>
internal sealed class TopK(int capacity, Guid[] ids)
{
    private readonly (float Score, int Slot)[] _heap = new (float, int)[capacity];
    private int _count;

    public int Count => _count;

    /// <summary>The score a candidate must beat to enter once the heap is full.</summary>
    public float Threshold => _count < capacity ? float.NegativeInfinity : _heap[0].Score;

    public void Offer(float score, int slot)
    {
        if (_count < capacity)
        {
            _heap[_count] = (score, slot);
            SiftUp(_count++);
        }
        else if (Better(score, slot, _heap[0].Score, _heap[0].Slot))
        {
            _heap[0] = (score, slot);
            SiftDown(0);
        }
    }

    public void Merge(TopK other)
    {
        for (var i = 0; i < other._count; i++)
        {
            Offer(other._heap[i].Score, other._heap[i].Slot);
        }
    }

    /// <summary>The kept pairs, best first.</summary>
    public List<(float Score, int Slot)> Sorted()
    {
        var list = _heap.Take(_count).ToList();
        list.Sort((a, b) => Better(a.Score, a.Slot, b.Score, b.Slot) ? -1 : Better(b.Score, b.Slot, a.Score, a.Slot) ? 1 : 0);
        return list;
    }

    private bool Better(float s1, int slot1, float s2, int slot2) => s1 > s2 || (s1 == s2 && ids[slot1].CompareTo(ids[slot2]) < 0);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Better(_heap[parent].Score, _heap[parent].Slot, _heap[i].Score, _heap[i].Slot))
            {
                break;
            }

            (_heap[parent], _heap[i]) = (_heap[i], _heap[parent]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var worst = i;
            var left = (2 * i) + 1;
            var right = left + 1;
            if (left < _count && Better(_heap[worst].Score, _heap[worst].Slot, _heap[left].Score, _heap[left].Slot))
            {
                worst = left;
            }

            if (right < _count && Better(_heap[worst].Score, _heap[worst].Slot, _heap[right].Score, _heap[right].Slot))
            {
                worst = right;
            }

            if (worst == i)
            {
                return;
            }

            (_heap[worst], _heap[i]) = (_heap[i], _heap[worst]);
            i = worst;
        }
    }
}
