using System.Runtime.InteropServices;
using System.Text;
using ClipSearch.Storage.Embedded.Primitives;

namespace ClipSearch.Storage.Embedded.Ann;

internal sealed unsafe partial class AnnIndex
{
    // File layout (little-endian): header, keys, tombstone flags, levels, int8 rows, level-0 lists, upper-level lists, end mark.
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("CSHNSW01");
    private static readonly byte[] EndMark = Encoding.ASCII.GetBytes("CSHNSWOK");

    /// <summary>
    /// The int8 rows and level-0 lists are written and read in pieces of at most this many bytes: at 10M nodes the rows
    /// alone are 5 GB, past what one span can hold (2^31 bytes). Any positive size gives the same file (tests use small ones).
    /// </summary>
    internal static int RegionChunkBytes { get; set; } = 1 << 26;

    /// <summary>
    /// Writes the index to <paramref name="stream"/> (left open): adds and removals wait meanwhile, searches go on.
    /// Making a file of it crash-safe (a temporary file, flushed, renamed) is the caller's part.
    /// </summary>
    public void Save(Stream stream)
    {
        using var gate = LockScope.Read(_gate);
        using var changes = LockScope.Write(_changes);
        ObjectDisposedException.ThrowIf(_vectors == null, this);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        var nodes = _nodes;
        writer.Write(Magic);
        foreach (var value in new[] { Dimension, _m, _nodes, _entry, _topLevel })
        {
            writer.Write(value);
        }

        writer.Write(Scale);
        writer.Write(MemoryMarshal.AsBytes(_keys.AsSpan(0, nodes)));
        writer.Write(_dead.AsSpan(0, nodes));
        writer.Write(_levels.AsSpan(0, nodes));
        WriteRegion(writer, (byte*)_vectors, (long)nodes * RowBytes);
        WriteRegion(writer, (byte*)_links0, (long)nodes * LinkInts * sizeof(int));
        for (var node = 0; node < nodes; node++)
        {
            if (_upper[node] is { } upper)
            {
                writer.Write(MemoryMarshal.AsBytes(upper.AsSpan()));
            }
        }

        writer.Write(EndMark);
        writer.Flush();
    }

    /// <summary>
    /// Reads an index written by <see cref="Save"/> from <paramref name="stream"/> (seekable, read to its end). Everything
    /// is checked before use (every neighbour must be a node of the file, every length consistent), so a damaged or
    /// foreign file is refused, never trusted.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is damaged, truncated, or was built with other dimensions or degree.</exception>
    public static AnnIndex Load(Stream stream, int dimension, AnnOptions options)
    {
        var source = stream is FileStream file ? file.Name : "The HNSW stream";
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{source} is not a ClipSearch HNSW file.");
        }

        var fileDimension = reader.ReadInt32();
        var m = reader.ReadInt32();
        var nodes = reader.ReadInt32();
        var entry = reader.ReadInt32();
        var top = reader.ReadInt32();
        var scale = reader.ReadSingle();
        if (fileDimension != dimension || m != options.Connectivity)
        {
            throw new InvalidDataException($"{source} was built for dimension {fileDimension} and degree {m}, not {dimension} and {options.Connectivity}.");
        }

        if (nodes < 0 || nodes > (stream.Length - stream.Position) / Math.Max(1, dimension) || !(scale >= 1f && float.IsFinite(scale))
            || (nodes == 0 ? entry != -1 : entry < 0 || entry >= nodes))
        {
            throw new InvalidDataException($"{source} has an inconsistent header.");
        }

        var index = new AnnIndex(dimension, options, scale);
        try
        {
            index.Grow(Math.Max(1024, nodes + (nodes / 2)));
            ReadExactly(reader, MemoryMarshal.AsBytes(index._keys.AsSpan(0, nodes)));
            ReadExactly(reader, index._dead.AsSpan(0, nodes));
            ReadExactly(reader, index._levels.AsSpan(0, nodes));
            ReadRegion(reader, (byte*)index._vectors, (long)nodes * index.RowBytes);
            ReadRegion(reader, (byte*)index._links0, (long)nodes * index.LinkInts * sizeof(int));
            for (var node = 0; node < nodes; node++)
            {
                var level = index._levels[node];
                if (level > MaxLevel)
                {
                    throw new InvalidDataException($"{source}: node {node} has level {level}.");
                }

                if (level > 0)
                {
                    var upper = GC.AllocateArray<int>(level * (m + 1), pinned: true);
                    ReadExactly(reader, MemoryMarshal.AsBytes(upper.AsSpan()));
                    index._upper[node] = upper;
                }
            }

            if (!reader.ReadBytes(EndMark.Length).AsSpan().SequenceEqual(EndMark) || stream.Position != stream.Length)
            {
                throw new InvalidDataException($"{source} is truncated or has trailing bytes.");
            }

            index._nodes = nodes;
            index._entry = entry;
            index._topLevel = nodes == 0 ? -1 : top;
            if (nodes > 0 && index._levels[entry] != top)
            {
                throw new InvalidDataException($"{source}: the entry point is not on the top level.");
            }

            index.CheckLinksAndKeys(source);
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    private void CheckLinksAndKeys(string source)
    {
        for (var node = 0; node < _nodes; node++)
        {
            for (var level = 0; level <= _levels[node]; level++)
            {
                var links = Links(node, level);
                if (links[0] < 0 || links[0] > MaxLinks(level))
                {
                    throw new InvalidDataException($"{source}: node {node} has {links[0]} neighbours at level {level}.");
                }

                for (var i = 1; i <= links[0]; i++)
                {
                    // A neighbour must exist and reach this level itself.
                    if ((uint)links[i] >= (uint)_nodes || _levels[links[i]] < level)
                    {
                        throw new InvalidDataException($"{source}: node {node} links to {links[i]} at level {level}.");
                    }
                }
            }

            if (_dead[node] > 1)
            {
                throw new InvalidDataException($"{source}: node {node} has a bad tombstone flag.");
            }

            if (_dead[node] == 0)
            {
                if (!_nodeOfKey.TryAdd(_keys[node], node))
                {
                    throw new InvalidDataException($"{source}: key {_keys[node]} is live twice.");
                }

                _live++;
            }
        }
    }

    private static void WriteRegion(BinaryWriter writer, byte* start, long bytes)
    {
        for (long done = 0; done < bytes;)
        {
            var piece = (int)Math.Min(bytes - done, RegionChunkBytes);
            writer.Write(new ReadOnlySpan<byte>(start + done, piece));
            done += piece;
        }
    }

    private static void ReadRegion(BinaryReader reader, byte* start, long bytes)
    {
        for (long done = 0; done < bytes;)
        {
            var piece = (int)Math.Min(bytes - done, RegionChunkBytes);
            ReadExactly(reader, new Span<byte>(start + done, piece));
            done += piece;
        }
    }

    private static void ReadExactly(BinaryReader reader, Span<byte> destination)
    {
        try
        {
            reader.BaseStream.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The HNSW file is truncated.", e);
        }
    }
}
