using System.Buffers.Binary;

namespace ClipSearch.Indexer.Bench;

/// <summary>The .fvecs format of TEXMEX / ANN-benchmarks: per vector an int32 dimension, then that many float32.</summary>
internal static class Fvecs
{
    public static float[][] Read(string path)
    {
        using var stream = File.OpenRead(path);
        var vectors = new List<float[]>();
        var header = new byte[4];
        while (stream.Read(header, 0, 4) is var n && n > 0)
        {
            if (n < 4)
            {
                throw new InvalidDataException($"{path}: truncated vector header at byte {stream.Position - n}.");
            }

            var dimension = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (dimension is <= 0 or > 65536 || (vectors.Count > 0 && dimension != vectors[0].Length))
            {
                throw new InvalidDataException($"{path}: vector {vectors.Count} declares dimension {dimension}.");
            }

            var bytes = new byte[dimension * 4];
            if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
            {
                throw new InvalidDataException($"{path}: vector {vectors.Count} is cut short.");
            }

            var v = new float[dimension];
            Buffer.BlockCopy(bytes, 0, v, 0, bytes.Length);
            vectors.Add(v);
        }

        return [.. vectors];
    }
}
