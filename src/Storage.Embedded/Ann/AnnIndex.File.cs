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
    /// Writes the index to <paramref name="path"/> atomically: a temporary file, flushed to disk, then renamed
    /// over the old one, so a crash leaves either the old file or the new one. Searches continue meanwhile.
    /// </summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        using (LockScope.Read(_gate))
        using (LockScope.Write(_changes))
        {
            ObjectDisposedException.ThrowIf(_vectors == null, this);
            using var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            using var writer = new BinaryWriter(stream);
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
            writer.Write(new ReadOnlySpan<byte>(_vectors, checked(nodes * RowBytes)));
            writer.Write(new ReadOnlySpan<byte>(_links0, checked(nodes * LinkInts * sizeof(int))));
            for (var node = 0; node < nodes; node++)
            {
                if (_upper[node] is { } upper)
                {
                    writer.Write(MemoryMarshal.AsBytes(upper.AsSpan()));
                }
            }

            writer.Write(EndMark);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Reads an index written by <see cref="Save"/>. Everything is checked before use (every neighbour must be a node of
    /// the file, every length consistent), so a damaged or foreign file is refused, never trusted.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is damaged, truncated, or was built with other dimensions or degree.</exception>
    public static AnnIndex Load(string path, int dimension, AnnOptions options)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var reader = new BinaryReader(stream);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path} is not a ClipSearch HNSW file.");
        }

        var fileDimension = reader.ReadInt32();
        var m = reader.ReadInt32();
        var nodes = reader.ReadInt32();
        var entry = reader.ReadInt32();
        var top = reader.ReadInt32();
        var scale = reader.ReadSingle();
        if (fileDimension != dimension || m != options.Connectivity)
        {
            throw new InvalidDataException($"{path} was built for dimension {fileDimension} and degree {m}, not {dimension} and {options.Connectivity}.");
        }

        if (nodes < 0 || nodes > (stream.Length - stream.Position) / Math.Max(1, dimension) || !(scale >= 1f && float.IsFinite(scale))
            || (nodes == 0 ? entry != -1 : entry < 0 || entry >= nodes))
        {
            throw new InvalidDataException($"{path} has an inconsistent header.");
        }

        var index = new AnnIndex(dimension, options, scale);
        try
        {
            index.Grow(Math.Max(1024, nodes + (nodes / 2)));
            ReadExactly(reader, MemoryMarshal.AsBytes(index._keys.AsSpan(0, nodes)));
            ReadExactly(reader, index._dead.AsSpan(0, nodes));
            ReadExactly(reader, index._levels.AsSpan(0, nodes));
            ReadExactly(reader, new Span<byte>(index._vectors, checked(nodes * index.RowBytes)));
            ReadExactly(reader, new Span<byte>(index._links0, checked(nodes * index.LinkInts * sizeof(int))));
            for (var node = 0; node < nodes; node++)
            {
                var level = index._levels[node];
                if (level > MaxLevel)
                {
                    throw new InvalidDataException($"{path}: node {node} has level {level}.");
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
                throw new InvalidDataException($"{path} is truncated or has trailing bytes.");
            }

            index._nodes = nodes;
            index._entry = entry;
            index._topLevel = nodes == 0 ? -1 : top;
            if (nodes > 0 && index._levels[entry] != top)
            {
                throw new InvalidDataException($"{path}: the entry point is not on the top level.");
            }

            index.CheckLinksAndKeys(path);
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    private void CheckLinksAndKeys(string path)
    {
        for (var node = 0; node < _nodes; node++)
        {
            for (var level = 0; level <= _levels[node]; level++)
            {
                var links = Links(node, level);
                if (links[0] < 0 || links[0] > MaxLinks(level))
                {
                    throw new InvalidDataException($"{path}: node {node} has {links[0]} neighbours at level {level}.");
                }

                for (var i = 1; i <= links[0]; i++)
                {
                    // A neighbour must exist and reach this level itself.
                    if ((uint)links[i] >= (uint)_nodes || _levels[links[i]] < level)
                    {
                        throw new InvalidDataException($"{path}: node {node} links to {links[i]} at level {level}.");
                    }
                }
            }

            if (_dead[node] > 1)
            {
                throw new InvalidDataException($"{path}: node {node} has a bad tombstone flag.");
            }

            if (_dead[node] == 0)
            {
                if (!_nodeOfKey.TryAdd(_keys[node], node))
                {
                    throw new InvalidDataException($"{path}: key {_keys[node]} is live twice.");
                }

                _live++;
            }
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
