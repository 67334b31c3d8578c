using System.Runtime.CompilerServices;

namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>
/// A binary heap of (score, node) packed in one long (score in the high half), so that ordering the pairs is one
/// integer comparison: by score, then by node. A max-heap or a min-heap, as constructed.
/// </summary>
internal sealed class Heap(bool max)
{
    private long[] _items = new long[64];

    public int Count { get; private set; }

    /// <summary>The root of a min-heap (its smallest item).</summary>
    public long Min => _items[0];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Pack(int score, int node) => ((long)score << 32) | (uint)node;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Score(long packed) => (int)(packed >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Node(long packed) => (int)(uint)packed;

    public void Clear() => Count = 0;

    public void Push(long item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, Count * 2);
        }

        var items = _items;
        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Before(item, items[parent]))
            {
                break;
            }

            items[i] = items[parent];
            i = parent;
        }

        items[i] = item;
    }

    /// <summary>Removes the root: the largest item of a max-heap.</summary>
    public long PopMax() => Pop();

    /// <summary>Removes the root: the smallest item of a min-heap.</summary>
    public long PopMin() => Pop();

    private long Pop()
    {
        var items = _items;
        var root = items[0];
        var last = items[--Count];
        var n = Count;
        var i = 0;
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= n)
            {
                break;
            }

            if (child + 1 < n && Before(items[child + 1], items[child]))
            {
                child++;
            }

            if (!Before(items[child], last))
            {
                break;
            }

            items[i] = items[child];
            i = child;
        }

        if (n > 0)
        {
            items[i] = last;
        }

        return root;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Before(long a, long b) => max ? a > b : a < b;
}
