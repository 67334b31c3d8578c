using ClipSearch.Core;

namespace ClipSearch.Indexer.Bench;

/// <summary>
/// Seeded clustered unit vectors, made chunk by chunk so that any number of them streams through a fixed amount of
/// memory (as tools/bench/make_vectors.py draws them: a random unit centre plus Gaussian noise of <c>spread</c> per
/// component, normalised). Chunk c of the base set depends only on (seed, c): the same on every run and machine.
/// <para>
/// With <c>latent</c> = 0 the centres are independent random directions: every two clusters are near-orthogonal, so
/// nothing in a point says which other clusters are near a query's, and a graph index must stumble on the query's
/// cluster among all of them (recall falls as clusters are added, for hnswlib as for ours: docs/BENCHMARKS.md). With
/// <c>latent</c> = m the centres are random directions of an m-dimensional subspace (an orthonormal basis drawn from
/// the seed): clusters have near and far neighbours, as embeddings of an intrinsic dimension of a few dozen do, and
/// the noise around each centre is the same.
/// </para>
/// </summary>
internal sealed class ClusteredVectors
{
    public const int ChunkRows = 4096;
    private const float Spread = 0.06f;

    private readonly float[] _centres;
    private readonly int _seed;

    public ClusteredVectors(int dimension, int clusters, int seed, int latent = 0)
    {
        if (latent < 0 || latent > dimension)
        {
            throw new ArgumentOutOfRangeException(nameof(latent), latent, $"The latent dimension is 0 (independent centres) or 1 to {dimension}.");
        }

        Dimension = dimension;
        Clusters = clusters;
        Latent = latent;
        _seed = seed;
        _centres = new float[clusters * dimension];
        var random = new Random(seed);
        var basis = latent == 0 ? null : OrthonormalBasis(random, latent, dimension);
        var z = new float[latent];
        for (var c = 0; c < clusters; c++)
        {
            var centre = _centres.AsSpan(c * dimension, dimension);
            if (basis is null)
            {
                FillGaussian(random, centre, 1f);
            }
            else
            {
                FillGaussian(random, z, 1f);
                for (var j = 0; j < latent; j++)
                {
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(basis[j], z[j], centre, centre);
                }
            }

            VectorMath.NormalizeInPlace(centre);
        }
    }

    public int Dimension { get; }

    public int Clusters { get; }

    /// <summary>The dimension of the subspace the centres are drawn in; 0: independent centres.</summary>
    public int Latent { get; }

    /// <summary>Cluster <paramref name="cluster"/>'s centre (unit length).</summary>
    public ReadOnlySpan<float> Centre(int cluster) => _centres.AsSpan(cluster * Dimension, Dimension);

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

    /// <summary><paramref name="count"/> orthonormal vectors of <paramref name="dimension"/> components (Gram-Schmidt on Gaussian draws).</summary>
    private static float[][] OrthonormalBasis(Random random, int count, int dimension)
    {
        var basis = new float[count][];
        for (var j = 0; j < count; j++)
        {
            var v = new float[dimension];
            FillGaussian(random, v, 1f);
            for (var pass = 0; pass < 2; pass++) // twice: one pass of classical Gram-Schmidt loses orthogonality in float
            {
                for (var i = 0; i < j; i++)
                {
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(basis[i], -System.Numerics.Tensors.TensorPrimitives.Dot(v, basis[i]), v, v);
                }
            }

            VectorMath.NormalizeInPlace(v);
            basis[j] = v;
        }

        return basis;
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
