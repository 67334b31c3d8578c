using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>
/// An HNSW graph (USearch, cosine) over the keys of one collection. Adds and searches may run concurrently;
/// saving takes the index exclusively. Distances are 1 - cosine; callers re-score exactly.
/// </summary>
internal sealed unsafe class AnnIndex : IDisposable
{
    // USearch fails a search ("Reserve capacity ahead of searches!") when all its thread contexts are taken, rather
    // than waiting; searches beyond SearchSlots wait here. The contexts are shared with adds, hence the margin in Reserve.
    private static readonly int SearchSlots = Environment.ProcessorCount * 4;

    private readonly ReaderWriterLockSlim _gate = new();
    private readonly SemaphoreSlim _searchSlots = new(SearchSlots, SearchSlots);
    private nint _handle;

    private AnnIndex(nint handle, int dimension)
    {
        _handle = handle;
        Dimension = dimension;
    }

    public int Dimension { get; }

    public static AnnIndex Create(int dimension, AnnOptions options, int threads)
    {
        var init = new UsearchNative.InitOptions
        {
            // Stored vectors are unit length, so the inner product is the cosine without the two norms cosine would recompute.
            MetricKind = UsearchNative.MetricIp,
            Quantization = options.Storage switch
            {
                GraphStorage.Half => UsearchNative.ScalarFloat16,
                GraphStorage.Quarter => UsearchNative.ScalarInt8,
                _ => UsearchNative.ScalarFloat32,
            },
            Dimensions = (nuint)dimension,
            Connectivity = (nuint)options.Connectivity,
            ExpansionAdd = (nuint)options.ExpansionAdd,
            ExpansionSearch = (nuint)options.ExpansionSearch,
        };
        var handle = UsearchNative.Init(&init, out var error);
        UsearchNative.Check(error, "create an index");
        var index = new AnnIndex(handle, dimension);
        index.Reserve(1024, threads);
        return index;
    }

    public static AnnIndex Load(string path, int dimension, AnnOptions options, int threads)
    {
        var index = Create(dimension, options, threads);
        try
        {
            UsearchNative.Load(index._handle, path, out var error);
            UsearchNative.Check(error, $"load {path}");
            index.Reserve(Math.Max(1024, index.Count * 2), threads);
            UsearchNative.ChangeExpansionSearch(index._handle, (nuint)options.ExpansionSearch, out error);
            UsearchNative.Check(error, "set the search expansion");
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    public int Count
    {
        get
        {
            var size = UsearchNative.Size(_handle, out var error);
            UsearchNative.Check(error, "count");
            return (int)size;
        }
    }

    /// <summary>Room for <paramref name="capacity"/> vectors and per-thread contexts for concurrent adds and searches.</summary>
    public void Reserve(int capacity, int threads)
    {
        _gate.EnterWriteLock();
        try
        {
            UsearchNative.Reserve(_handle, (nuint)capacity, out var error);
            UsearchNative.Check(error, "reserve capacity");
            UsearchNative.ChangeThreadsAdd(_handle, (nuint)threads, out error);
            UsearchNative.Check(error, "set add threads");
            UsearchNative.ChangeThreadsSearch(_handle, (nuint)(SearchSlots + threads), out error);
            UsearchNative.Check(error, "set search threads");
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    public int Capacity
    {
        get
        {
            var c = UsearchNative.Capacity(_handle, out var error);
            UsearchNative.Check(error, "read capacity");
            return (int)c;
        }
    }

    /// <summary>Adds (or, for a key already present, replaces) a vector.</summary>
    public void Add(ulong key, ReadOnlySpan<float> vector)
    {
        _gate.EnterReadLock();
        try
        {
            if (UsearchNative.Contains(_handle, key, out var error))
            {
                UsearchNative.Remove(_handle, key, out error);
                UsearchNative.Check(error, "replace a vector");
            }

            fixed (float* v = vector)
            {
                UsearchNative.Add(_handle, key, v, UsearchNative.ScalarFloat32, out error);
            }

            UsearchNative.Check(error, "add a vector");
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    public void Remove(ulong key)
    {
        _gate.EnterReadLock();
        try
        {
            UsearchNative.Remove(_handle, key, out var error);
            UsearchNative.Check(error, "remove a vector");
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    /// <summary>Up to <paramref name="keys"/>.Length nearest keys; with a filter, only keys it accepts. Returns how many were found.</summary>
    public int Search(ReadOnlySpan<float> query, Span<ulong> keys, Func<ulong, bool>? filter)
    {
        var distances = new float[keys.Length];
        _searchSlots.Wait();
        _gate.EnterReadLock();
        try
        {
            nint error;
            nuint found;
            fixed (float* q = query)
            fixed (ulong* k = keys)
            fixed (float* d = distances)
            {
                if (filter is null)
                {
                    found = UsearchNative.Search(_handle, q, UsearchNative.ScalarFloat32, (nuint)keys.Length, k, d, out error);
                }
                else
                {
                    var state = GCHandle.Alloc(filter);
                    try
                    {
                        found = UsearchNative.FilteredSearch(_handle, q, UsearchNative.ScalarFloat32, (nuint)keys.Length, &FilterThunk,
                            GCHandle.ToIntPtr(state), k, d, out error);
                    }
                    finally
                    {
                        state.Free();
                    }
                }
            }

            UsearchNative.Check(error, "search");
            return (int)found;
        }
        finally
        {
            _gate.ExitReadLock();
            _searchSlots.Release();
        }
    }

    /// <summary>Writes the index to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        _gate.EnterWriteLock();
        try
        {
            UsearchNative.Save(_handle, temp, out var error);
            UsearchNative.Check(error, $"save {temp}");
        }
        finally
        {
            _gate.ExitWriteLock();
        }

        File.Move(temp, path, overwrite: true);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int FilterThunk(ulong key, nint state)
    {
        try
        {
            return ((Func<ulong, bool>)GCHandle.FromIntPtr(state).Target!)(key) ? 1 : 0;
        }
#pragma warning disable CA1031 // An exception must not cross into native code; the key is simply not accepted.
        catch
#pragma warning restore CA1031
        {
            return 0;
        }
    }

    public void Dispose()
    {
        _gate.EnterWriteLock();
        try
        {
            if (_handle != 0)
            {
                UsearchNative.Free(_handle, out _);
                _handle = 0;
            }
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }
}
