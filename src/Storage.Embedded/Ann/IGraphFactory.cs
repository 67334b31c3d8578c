namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>Makes the graphs a store keeps: empty ones for its vectors, or ones read back from what <see cref="IGraphIndex.Save"/> wrote.</summary>
internal interface IGraphFactory
{
    /// <summary>An empty graph for vectors of <paramref name="dimension"/> components.</summary>
    /// <param name="dimension">Components per vector.</param>
    /// <param name="largestMagnitude">The largest component magnitude in a sample of the vectors to come (graphs that quantise size their scale by it).</param>
    IGraphIndex Create(int dimension, float largestMagnitude);

    /// <summary>Reads a saved graph from <paramref name="stream"/> (seekable, read to its end).</summary>
    /// <exception cref="InvalidDataException">The data is damaged, or was written for another dimension or other settings.</exception>
    IGraphIndex Load(Stream stream, int dimension);
}
