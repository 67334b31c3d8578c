namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>Makes <see cref="AnnIndex"/> graphs with one set of options.</summary>
internal sealed class AnnIndexFactory(AnnOptions options) : IGraphFactory
{
    public IGraphIndex Create(int dimension, float largestMagnitude) => AnnIndex.Create(dimension, options, AnnIndex.ScaleFor([largestMagnitude]));

    public IGraphIndex Load(Stream stream, int dimension) => AnnIndex.Load(stream, dimension, options);
}
