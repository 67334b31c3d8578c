namespace ClipSearch.Core.Tests;

public sealed class VectorMathTests
{
    [Fact]
    public void NormalizeInPlace_AnyVector_HasUnitLengthAndSameDirection()
    {
        float[] v = [3f, 4f, 0f];
        VectorMath.NormalizeInPlace(v);
        Assert.Equal([0.6f, 0.8f, 0f], v);
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(float.NaN, 1f)]
    [InlineData(float.PositiveInfinity, 1f)]
    public void NormalizeInPlace_ZeroOrNonFinite_Throws(float a, float b)
    {
        float[] v = [a, b];
        Assert.Throws<ArgumentException>(() => VectorMath.NormalizeInPlace(v));
    }

    [Fact]
    public void Cosine_UnitVectors_IsDotProduct()
    {
        float[] a = [0.6f, 0.8f];
        float[] b = [0.8f, 0.6f];
        Assert.Equal(0.96f, VectorMath.Cosine(a, b), 5);
        Assert.Equal(1f, VectorMath.Cosine(a, a), 5);
    }
}
