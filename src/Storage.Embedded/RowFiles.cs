using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// Where one collection's float32 rows live on disk: <c>rows/{collection}-{generation}.f32</c> in the index folder,
/// beside it <c>.f32.stamp</c> (a <see cref="RowStamp"/>), written only when the store closes cleanly, after the rows
/// are flushed, and deleted as soon as the file is opened again (from then on the rows change). So a stamp exists
/// only for rows that match it; a missing, damaged or foreign stamp means: rebuild the rows from the database, which
/// stays the source of truth (as for the graph file). One process owns the file (an exclusive lock); another store
/// on the same folder gets a private file, deleted when closed.
/// </summary>
internal sealed partial class RowFiles(string indexFolder, string collection)
{
    private const string Extension = ".f32";
    private const string StampExtension = ".stamp";
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("CSROWS01");
    private static readonly byte[] EndMark = Encoding.ASCII.GetBytes("CSROWSOK");

    public string Folder { get; } = Path.Combine(indexFolder, "rows");

    public string PathFor(string generation) => Path.Combine(Folder, $"{collection}-{generation}{Extension}");

    /// <summary>
    /// Opens the row file of <paramref name="generation"/>, with its stamp when one vouches for its rows (the file is
    /// emptied otherwise). Owned is false for a private file (another store holds the shared one): it never gets a stamp.
    /// </summary>
    public (RowFile Rows, RowStamp? Stamp, bool Owned) Open(string generation, int dimension)
    {
        Directory.CreateDirectory(Folder);
        var path = PathFor(generation);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var own = Path.Combine(Folder, $"{collection}-{Guid.NewGuid():N}.private");
            file = new FileStream(own, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);
            return (new RowFile(file, dimension), null, false);
        }

        DeleteStale(generation);
        var stamp = TryReadStamp(path + StampExtension, dimension, file.Length);
        File.Delete(path + StampExtension);
        if (stamp is null)
        {
            file.SetLength(0);
        }

        return (new RowFile(file, dimension), stamp, true);
    }

    /// <summary>Writes the stamp of rows just flushed (the store is closing).</summary>
    public void SaveStamp(string generation, int dimension, RowStamp stamp) =>
        GraphFile.WriteAtomically(PathFor(generation) + StampExtension, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(dimension);
            writer.Write(stamp.Seq);
            writer.Write(stamp.Keys.Length);
            writer.Write(MemoryMarshal.AsBytes(stamp.Keys.AsSpan()));
            writer.Write(EndMark);
        });

    /// <summary>Deletes the row file of <paramref name="generation"/> and its stamp (the collection was dropped).</summary>
    public void Delete(string generation)
    {
        try
        {
            File.Delete(PathFor(generation) + StampExtension);
            File.Delete(PathFor(generation));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still open elsewhere (not on Linux): the next collection of that name deletes it as stale.
        }
    }

    private static RowStamp? TryReadStamp(string path, int dimension, long fileBytes)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            using var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20));
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != dimension)
            {
                return null;
            }

            var seq = reader.ReadInt64();
            var slots = reader.ReadInt32();
            if (slots < 0 || (long)slots * dimension * sizeof(float) > fileBytes || (long)slots * sizeof(long) > reader.BaseStream.Length)
            {
                return null;
            }

            var keys = new long[slots];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(keys.AsSpan()));
            return reader.ReadBytes(EndMark.Length).AsSpan().SequenceEqual(EndMark) && reader.BaseStream.Position == reader.BaseStream.Length
                ? new RowStamp(seq, keys)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Deletes this collection's files of other generations and private files left by a crash (names matched whole).</summary>
    private void DeleteStale(string generation)
    {
        foreach (var path in Directory.EnumerateFiles(Folder, collection + "-*"))
        {
            var match = RowFileName().Match(Path.GetFileName(path));
            if (match.Success && match.Groups["collection"].Value == collection && match.Groups["generation"].Value != generation)
            {
                try
                {
                    File.Delete(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // In use elsewhere (not on Linux, where deleting an open file is allowed): next time.
                }
            }
        }
    }

    [GeneratedRegex(@"^(?<collection>.+)-(?<generation>[0-9a-f]{32})\.(f32(\.stamp)?|private)(\.tmp)?$")]
    private static partial Regex RowFileName();
}
