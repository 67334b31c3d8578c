namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>
/// The reusable state of one search or insert: the visited marks (a tag per node, so clearing is one increment),
/// both heaps and small buffers. An index keeps a pool of them (<see cref="Scratch.Pool"/>), so there are only as many as
/// searches ever ran at once (2 bytes per node each), and a search allocates nothing once the pool is warm.
/// </summary>
internal sealed class Scratch
{
    private ushort[] _visited = [];

    private Scratch(int rowBytes)
    {
        Query = GC.AllocateArray<short>(rowBytes, pinned: true);
    }

    /// <summary>Scratches of one index, lent to one search or insert at a time.</summary>
    internal sealed class Pool(int rowBytes)
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<Scratch> _free = [];

        /// <summary>A scratch whose visited marks cover <paramref name="nodes"/> nodes.</summary>
        public Scratch Rent(int nodes)
        {
            var scratch = _free.TryTake(out var s) ? s : new Scratch(rowBytes);
            if (scratch._visited.Length < nodes)
            {
                scratch._visited = new ushort[nodes];
                scratch.Tag = 0;
            }

            return scratch;
        }

        public void Return(Scratch scratch) => _free.Add(scratch);
    }

    /// <summary>The query (or the node being inserted) as 16-bit integers, zero-padded to the row length.</summary>
    public short[] Query { get; private set; }

    public ushort Tag { get; private set; }

    /// <summary>Nodes the last level search scored.</summary>
    public int Scored { get; set; }

    public Heap Candidates { get; } = new(max: true);

    public Heap Results { get; } = new(max: false);

    /// <summary>A list's neighbours not visited yet, gathered before scoring so their loads overlap.</summary>
    public int[] Fresh { get; } = new int[256];

    public int[] Chosen { get; } = new int[256];

    public int[] Reselected { get; } = new int[256];

    /// <summary>A full list plus the newcomer, scored against the list's owner, when the list is re-selected.</summary>
    public long[] Relinks { get; } = new long[257];

    private long[] _sorted = new long[64];

    /// <summary>The visited marks with a fresh tag (marks equal to <see cref="Tag"/> are this search's).</summary>
    public ushort[] NextVisited()
    {
        if (++Tag == 0)
        {
            Array.Clear(_visited);
            Tag = 1;
        }

        return _visited;
    }

    /// <summary>Empties <paramref name="heap"/> into a buffer, best score first.</summary>
    public ReadOnlySpan<long> Sorted(Heap heap)
    {
        var n = heap.Count;
        if (_sorted.Length < n)
        {
            _sorted = new long[n * 2];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            _sorted[i] = heap.PopMin();
        }

        return _sorted.AsSpan(0, n);
    }
}
