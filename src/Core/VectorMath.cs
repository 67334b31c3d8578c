using System.Numerics.Tensors;

namespace ClipSearch.Core;

/// <summary>Embedding arithmetic shared by the engine and the index.</summary>
public static class VectorMath
{
    /// <summary>
    /// Scales <paramref name="vector"/> to unit L2 length in place, so that a dot product is the cosine
    /// similarity. A zero or non-finite vector cannot be normalised and is rejected.
    /// </summary>
    /// <exception cref="ArgumentException">The vector has zero or non-finite length.</exception>
    public static void NormalizeInPlace(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm((ReadOnlySpan<float>)vector);
        if (!float.IsFinite(norm) || norm == 0f)
        {
            throw new ArgumentException($"Cannot L2-normalise a vector of length {norm}.", nameof(vector));
        }

        TensorPrimitives.Divide(vector, norm, vector);
    }

    /// <summary>Cosine similarity of two unit vectors (their dot product).</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Dot(a, b);
}
