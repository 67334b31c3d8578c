using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ClipSearch.Storage.Embedded.Primitives;

namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>
/// An HNSW graph (Malkov and Yashunin, 2016) over the keys of one collection, with its own int8 copy of the
/// vectors: the unit vectors are quantised with one scale chosen from the data, so a candidate costs a quarter
/// of the memory traffic of float32 (graph search is bound by memory latency, not arithmetic). Scores are
/// integer dot products that rank like the cosine; callers re-score the candidates with their float32 vectors.
/// <para>
/// Thread safety: adds, removals and searches run concurrently (adds lock the neighbour lists they change;
/// searches read them without locks: every entry of a list is always a valid node, so a search racing an add
/// at worst takes a slightly different path). <see cref="Reserve"/>, <see cref="Save"/> and <see cref="Dispose"/>
/// take the index exclusively; <see cref="Save"/> only excludes adds and removals, searches go on. A removed or replaced key leaves its node in the graph as a tombstone: still a
/// stepping stone, never returned.
/// </para>
/// </summary>
internal sealed unsafe partial class AnnIndex : IGraphIndex
{
    private const int MaxLevel = 15;
    private const int LockStripes = 1024;

    // _gate: searches, adds and removals share it; growing and disposing take it alone. _changes: adds and removals
    // share it; saving takes it alone, so a save (seconds for millions of rows) never holds up searches.
    private readonly ReaderWriterLockSlim _gate = new();
    private readonly ReaderWriterLockSlim _changes = new();
    private readonly Lock _entryLock = new();
    private readonly Lock _keysLock = new();
    private readonly Lock[] _nodeLocks = Enumerable.Range(0, LockStripes).Select(_ => new Lock()).ToArray();
    private readonly Dictionary<ulong, int> _nodeOfKey = [];
    private readonly Scratch.Pool _scratch;
    private readonly AnnOptions _options;
    private readonly int _m;
    private readonly int _m0;
    private readonly int _expansionAdd;
    private readonly double _levelFactor;

    private sbyte* _vectors;
    private int* _links0;
    private NativeRegion? _vectorRegion;
    private NativeRegion? _linkRegion;
    private ulong[] _keys = [];
    private byte[] _levels = [];
    private byte[] _dead = [];
    private int[]?[] _upper = [];
    private int _capacity;
    private int _nodes;
    private int _live;
    private volatile int _entry = -1;
    private volatile int _topLevel = -1;

    private AnnIndex(int dimension, AnnOptions options, float scale)
    {
        Dimension = dimension;
        Scale = scale;
        _m = options.Connectivity;
        _m0 = options.Connectivity * 2;
        _expansionAdd = options.ExpansionAdd;
        _options = options;
        _levelFactor = 1 / Math.Log(_m);
        RowBytes = (dimension + 63) / 64 * 64;
        LinkInts = _m0 + 1;
        _scratch = new Scratch.Pool(RowBytes);
    }

    public int Dimension { get; }

    /// <summary>Quantisation scale: component x scale, rounded and clamped to [-127, 127].</summary>
    public float Scale { get; }

    /// <summary>Candidate list size of a search (ef), read from the options at each search (a benchmark sweeps it over one graph); searches for more keys than this widen it to the key count.</summary>
    public int ExpansionSearch => _options.ExpansionSearch;

    /// <summary>Bytes per int8 vector: the dimension rounded up to a cache line (zero padding), so kernels need no tail.</summary>
    private int RowBytes { get; }

    /// <summary>Ints per level-0 neighbour list: its length, then room for 2M neighbours.</summary>
    private int LinkInts { get; }

    /// <summary>
    /// A scale for unit vectors like <paramref name="sample"/>: the largest magnitude seen maps to 127 (a tenth of
    /// headroom for later vectors; anything beyond is clamped). Never coarser than 127 (the bound of unit vectors).
    /// </summary>
    public static float ScaleFor(ReadOnlySpan<float> sample)
    {
        var max = sample.IsEmpty ? 1f : System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(sample);
        return 127f / Math.Clamp(Math.Abs(max) * 1.1f, 1e-3f, 1f);
    }

    public static AnnIndex Create(int dimension, AnnOptions options, float scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1f);
        var index = new AnnIndex(dimension, options, scale);
        index.Reserve(1024);
        return index;
    }

    /// <summary>Live (not removed) keys.</summary>
    public int Count => Volatile.Read(ref _live);

    /// <summary>Tombstones: nodes of removed or replaced keys still in the graph.</summary>
    public int Dead => Volatile.Read(ref _nodes) - Count;

    /// <summary>How many live keys fit before <see cref="Reserve"/> must grow the index.</summary>
    public int Capacity => _capacity - Dead;

    /// <summary>Room for <paramref name="capacity"/> live keys (beyond the tombstones already held).</summary>
    public void Reserve(int capacity)
    {
        using var gate = LockScope.Write(_gate);
        var nodes = capacity + (_nodes - _live);
        if (nodes <= _capacity)
        {
            return;
        }

        Grow(Math.Max(nodes, _capacity + (_capacity / 2)));
    }

    private void Grow(int capacity)
    {
        var vectors = new NativeRegion((nuint)capacity * (nuint)RowBytes);
        var links = new NativeRegion((nuint)capacity * (nuint)LinkInts * sizeof(int));
        if (_vectorRegion is not null)
        {
            var used = (nuint)_nodes;
            NativeMemory.Copy(_vectors, vectors.Pointer, used * (nuint)RowBytes);
            NativeMemory.Copy(_links0, links.Pointer, used * (nuint)LinkInts * sizeof(int));
            _vectorRegion.Dispose();
            _linkRegion!.Dispose();
        }

        _vectorRegion = vectors;
        _linkRegion = links;
        _vectors = (sbyte*)vectors.Pointer;
        _links0 = (int*)links.Pointer;
        Array.Resize(ref _keys, capacity);
        Array.Resize(ref _levels, capacity);
        Array.Resize(ref _dead, capacity);
        Array.Resize(ref _upper, capacity);
        _capacity = capacity;
    }

    /// <summary>Adds a vector (unit length), or replaces the vector of a key already present.</summary>
    /// <exception cref="InvalidOperationException">The index is full: <see cref="Reserve"/> first.</exception>
    public void Add(ulong key, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension)
        {
            throw new ArgumentException($"Expected {Dimension} components, got {vector.Length}.", nameof(vector));
        }

        using var gate = LockScope.Read(_gate);
        using var changes = LockScope.Read(_changes);
        ObjectDisposedException.ThrowIf(_vectors == null, this);
        int node;
        lock (_keysLock)
        {
            if (_nodes >= _capacity)
            {
                throw new InvalidOperationException($"The approximate index is full ({_capacity} nodes); reserve capacity first.");
            }

            if (_nodeOfKey.Remove(key, out var old))
            {
                Volatile.Write(ref _dead[old], 1);
                _live--;
            }

            node = _nodes;
            _nodeOfKey[key] = node;
            _keys[node] = key;
            _live++;
            Volatile.Write(ref _nodes, node + 1);
        }

        Int8Kernels.Quantize(vector, new Span<sbyte>(Row(node), Dimension), Scale);
        var level = RandomLevel();
        _levels[node] = (byte)level;
        if (level > 0)
        {
            // Pinned: searches take pointers to upper-level lists without fixing them.
            _upper[node] = GC.AllocateArray<int>(level * (_m + 1), pinned: true);
        }

        Insert(node, level);
    }

    /// <summary>Removes a key (its node stays as a tombstone). Unknown keys are ignored.</summary>
    public void Remove(ulong key)
    {
        using var gate = LockScope.Read(_gate);
        using var changes = LockScope.Read(_changes);
        lock (_keysLock)
        {
            if (_nodeOfKey.Remove(key, out var node))
            {
                Volatile.Write(ref _dead[node], 1);
                _live--;
            }
        }
    }

    /// <summary>Removes every key <paramref name="gone"/> accepts (their nodes become tombstones). Returns how many.</summary>
    public int RemoveWhere(Func<ulong, bool> gone)
    {
        using var gate = LockScope.Read(_gate);
        using var changes = LockScope.Read(_changes);
        lock (_keysLock)
        {
            var removed = _nodeOfKey.Where(kv => gone(kv.Key)).ToList();
            foreach (var (key, node) in removed)
            {
                _nodeOfKey.Remove(key);
                Volatile.Write(ref _dead[node], 1);
                _live--;
            }

            return removed.Count;
        }
    }

    /// <summary>Whether tombstones are numerous enough (a quarter of the live keys, and over 1,024) to build the graph afresh.</summary>
    public bool TooManyTombstones => Dead > Math.Max(1024, Count / 4);

    private int RandomLevel() => Math.Min(MaxLevel, (int)(-Math.Log(1 - Random.Shared.NextDouble()) * _levelFactor));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private sbyte* Row(int node) => _vectors + ((nint)node * RowBytes);

    /// <summary>A node's neighbour list at a level: its length, then the neighbours.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int* Links(int node, int level) => level == 0
        ? _links0 + ((nint)node * LinkInts)
        : (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_upper[node]!)) + ((level - 1) * (_m + 1));

    private int MaxLinks(int level) => level == 0 ? _m0 : _m;

    private Lock NodeLock(int node) => _nodeLocks[node & (LockStripes - 1)];

    public void Dispose()
    {
        using var gate = LockScope.Write(_gate);
        if (_vectors != null)
        {
            _vectorRegion!.Dispose();
            _linkRegion!.Dispose();
            _vectors = null;
            _links0 = null;
        }
    }
}
