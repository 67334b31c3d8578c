using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ClipSearch.Storage.Embedded.Ann;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// Where and how one collection's graph is kept on disk: <c>ann/{collection}-{generation}.hnsw</c> in the index folder,
/// beside it <c>.hnsw.seq</c> with the change sequence number the graph reflects. Both are written atomically (a
/// temporary file, flushed to disk, renamed over the old one), the graph first, so a crash leaves a graph at least as
/// new as its sequence number says. A file that cannot be read is ignored: the graph is a cache of the database.
/// </summary>
internal sealed partial class GraphFile(string indexFolder, string collection)
{
    private const string Extension = ".hnsw";
    private const string SeqExtension = ".seq";
    private const string TempExtension = ".tmp";

    /// <summary>The folder of every collection's graph files.</summary>
    public string Folder { get; } = Path.Combine(indexFolder, "ann");

    /// <summary>The graph file of one incarnation (generation) of the collection.</summary>
    public string PathFor(string generation) => Path.Combine(Folder, $"{collection}-{generation}{Extension}");

    /// <summary>
    /// Whether <paramref name="fileName"/> is a file of this collection's other generations (or of an older format,
    /// .usearch), or a temporary left behind, that can go. Names are matched whole: "photos-2024" is another collection,
    /// not a generation of "photos".
    /// </summary>
    public bool IsStale(string fileName, string generation)
    {
        var match = GraphFileName().Match(fileName);
        return match.Success && match.Groups["collection"].Value == collection && match.Groups["generation"].Value != generation;
    }

    /// <summary>
    /// Deletes this collection's stale files, then writes the graph of <paramref name="generation"/> with
    /// <paramref name="write"/> and, after it, the sequence number it reflects.
    /// </summary>
    public void Save(string generation, long seq, Action<Stream> write)
    {
        Directory.CreateDirectory(Folder);
        foreach (var stale in Directory.EnumerateFiles(Folder, collection + "-*").Where(path => IsStale(Path.GetFileName(path), generation)))
        {
            File.Delete(stale);
        }

        var path = PathFor(generation);
        WriteAtomically(path, write);
        WriteAtomically(path + SeqExtension, stream => stream.Write(Encoding.ASCII.GetBytes(seq.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>
    /// Reads the saved graph of <paramref name="generation"/> with <paramref name="read"/>, and the sequence number it
    /// reflects; null when either file is missing, damaged or unreadable (the caller then builds the graph afresh).
    /// </summary>
    public (IGraphIndex Graph, long Seq)? TryLoad(string generation, Func<Stream, IGraphIndex> read)
    {
        var path = PathFor(generation);
        if (!File.Exists(path) || !File.Exists(path + SeqExtension))
        {
            return null;
        }

        try
        {
            var seq = long.Parse(File.ReadAllText(path + SeqExtension), CultureInfo.InvariantCulture);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            return (read(stream), seq);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException or OverflowException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="path"/> so that a crash leaves the old file or the new one whole, never a part.</summary>
    internal static void WriteAtomically(string path, Action<Stream> write)
    {
        var temp = path + TempExtension;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    [GeneratedRegex(@"^(?<collection>.+)-(?<generation>[0-9a-f]{32})\.(hnsw|usearch)(\.seq)?(\.tmp)?$")]
    private static partial Regex GraphFileName();
}
