namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>
/// One thread's reusable search state: the visited marks (a tag per node, so clearing is one increment),
/// both heaps and small buffers. A search allocates nothing once its thread has searched before.
/// </summary>
internal sealed class Scratch
{
    [ThreadStatic]
    private static Scratch? _current;

    private ushort[] _visited = [];

    private Scratch(int rowBytes)
    {
        Query = GC.AllocateArray<short>(rowBytes, pinned: true);
    }

    /// <summary>The query (or the node being inserted) as 16-bit integers, zero-padded to the row length.</summary>
    public short[] Query { get; private set; }

    public ushort Tag { get; private set; }

    public Heap Candidates { get; } = new(max: true);

    public Heap Results { get; } = new(max: false);

    /// <summary>A list's neighbours not visited yet, gathered before scoring so their loads overlap.</summary>
    public int[] Fresh { get; } = new int[256];

    public int[] Chosen { get; } = new int[256];

    public int[] Reselected { get; } = new int[256];

    public long[] Pool { get; } = new long[257];

    private long[] _sorted = new long[64];

    public static Scratch For(int nodes, int rowBytes)
    {
        var scratch = _current ??= new Scratch(rowBytes);
        if (scratch.Query.Length != rowBytes)
        {
            scratch.Query = GC.AllocateArray<short>(rowBytes, pinned: true);
        }

        if (scratch._visited.Length < nodes)
        {
            scratch._visited = new ushort[nodes];
            scratch.Tag = 0;
        }

        return scratch;
    }

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
