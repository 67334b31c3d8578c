using ClipSearch.Storage.Embedded.Ann;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>A graph that only keeps its keys (searches find nothing); saved as a count and the keys.</summary>
internal sealed class FakeGraph(FakeGraphFactory factory) : IGraphIndex
{
    private readonly HashSet<ulong> _keys = [];
    private int _dead;

    public bool Disposed { get; private set; }

    public int Count
    {
        get
        {
            lock (_keys)
            {
                return _keys.Count;
            }
        }
    }

    public int Dead => Volatile.Read(ref _dead);

    public bool TooManyTombstones => false;

    public int Capacity => int.MaxValue;

    public ulong[] Keys()
    {
        lock (_keys)
        {
            return [.. _keys.Order()];
        }
    }

    public void Reserve(int capacity)
    {
    }

    public void Add(ulong key, ReadOnlySpan<float> vector)
    {
        factory.AddStarted.Set();
        factory.AddGate.Wait();
        if (factory.AddFailure is { } failure)
        {
            throw failure;
        }

        lock (_keys)
        {
            _keys.Add(key);
        }
    }

    public void Remove(ulong key) => RemoveWhere(k => k == key);

    public int RemoveWhere(Func<ulong, bool> gone)
    {
        lock (_keys)
        {
            var removed = _keys.RemoveWhere(k => gone(k));
            _dead += removed;
            return removed;
        }
    }

    public int Search(ReadOnlySpan<float> query, Span<ulong> keys, Func<ulong, bool>? filter, out int scored)
    {
        scored = 0;
        return Disposed ? -1 : 0;
    }

    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var keys = Keys();
        writer.Write(keys.Length);
        foreach (var key in keys)
        {
            writer.Write(key);
        }
    }

    public static FakeGraph Read(FakeGraphFactory factory, Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var graph = new FakeGraph(factory);
        try
        {
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                graph._keys.Add(reader.ReadUInt64());
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("truncated", e);
        }

        return stream.Position == stream.Length ? graph : throw new InvalidDataException("trailing bytes");
    }

    public void Dispose() => Disposed = true;
}
