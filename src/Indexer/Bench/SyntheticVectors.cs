using ClipSearch.Core;

namespace ClipSearch.Indexer.Bench;

/// <summary>Seeded unit vectors for benchmarks that need a filled index but no images.</summary>
internal static class SyntheticVectors
{
    /// <summary>A unit vector: uniformly random, or near <paramref name="centre"/> (spread = weight of the noise).</summary>
    public static float[] Unit(Random random, int d, float[]? centre, float spread)
    {
        var v = new float[d];
        for (var i = 0; i < d; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1) * (centre is null ? 1 : spread) + (centre?[i] ?? 0);
        }

        VectorMath.NormalizeInPlace(v);
        return v;
    }
}
