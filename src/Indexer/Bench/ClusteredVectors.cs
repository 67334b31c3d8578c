using ClipSearch.Core;

namespace ClipSearch.Indexer.Bench;

/// <summary>
/// Seeded clustered unit vectors, made chunk by chunk so that any number of them streams through a fixed amount of
/// memory (as tools/bench/make_vectors.py draws them: a random unit centre plus Gaussian noise of <c>spread</c> per
/// component, normalised). Chunk c of the base set depends only on (seed, c): the same on every run and machine.
/// </summary>
internal sealed class ClusteredVectors
{
    public const int ChunkRows = 4096;
    private const float Spread = 0.06f;

    private readonly float[] _centres;
    private readonly int _seed;

    public ClusteredVectors(int dimension, int clusters, int seed)
    {
        Dimension = dimension;
        Clusters = clusters;
        _seed = seed;
        _centres = new float[clusters * dimension];
        var random = new Random(seed);
        for (var c = 0; c < clusters; c++)
        {
            var centre = _centres.AsSpan(c * dimension, dimension);
            FillGaussian(random, centre, 1f);
            VectorMath.NormalizeInPlace(centre);
        }
    }

    public int Dimension { get; }

    public int Clusters { get; }

    /// <summary>Base chunk <paramref name="chunk"/>: <paramref name="rows"/> vectors (at most <see cref="ChunkRows"/>) as one array of rows.</summary>
    public float[][] Chunk(int chunk, int rows) => Draw(new Random(unchecked((_seed * 1_000_003) + chunk + 1)), rows);

    /// <summary>Queries: drawn like the base vectors from another stream of the same seed (near, never equal to, base points).</summary>
    public float[][] Queries(int count) => Draw(new Random(unchecked((_seed * 1_000_003) - 1)), count);

    private float[][] Draw(Random random, int rows)
    {
        var vectors = new float[rows][];
        for (var i = 0; i < rows; i++)
        {
            var v = new float[Dimension];
            FillGaussian(random, v, Spread);
            System.Numerics.Tensors.TensorPrimitives.Add(v, _centres.AsSpan(random.Next(Clusters) * Dimension, Dimension), v);
            VectorMath.NormalizeInPlace(v);
            vectors[i] = v;
        }

        return vectors;
    }

    /// <summary>Standard normal components times <paramref name="scale"/> (Box-Muller, two per draw).</summary>
    private static void FillGaussian(Random random, Span<float> into, float scale)
    {
        for (var i = 0; i < into.Length; i += 2)
        {
            var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * scale;
            var angle = 2 * Math.PI * random.NextDouble();
            into[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < into.Length)
            {
                into[i + 1] = (float)(radius * Math.Sin(angle));
            }
        }
    }
}
