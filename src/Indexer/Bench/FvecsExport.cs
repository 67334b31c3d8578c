namespace ClipSearch.Indexer.Bench;

/// <summary>Writes the synthetic vectors as they stream by to base.fvecs and queries.fvecs (for the peers in tools/bench/peers.py).</summary>
internal sealed class FvecsExport : IDisposable
{
    private readonly BinaryWriter _base;

    public FvecsExport(string folder, float[][] queries)
    {
        Directory.CreateDirectory(folder);
        using (var writer = new BinaryWriter(File.Create(Path.Combine(folder, "queries.fvecs"))))
        {
            foreach (var q in queries)
            {
                Write(writer, q);
            }
        }

        _base = new BinaryWriter(new FileStream(Path.Combine(folder, "base.fvecs"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20));
    }

    public void Write(float[][] rows)
    {
        foreach (var row in rows)
        {
            Write(_base, row);
        }
    }

    private static void Write(BinaryWriter writer, float[] row)
    {
        writer.Write(row.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.AsSpan()));
    }

    public void Dispose() => _base.Dispose();
}
