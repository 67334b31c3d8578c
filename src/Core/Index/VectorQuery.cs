namespace ClipSearch.Core.Index;

/// <summary>A nearest-neighbour query.</summary>
/// <param name="Vector">L2-normalised query embedding of the collection's dimension.</param>
/// <param name="K">Number of hits to return (1-10000).</param>
/// <param name="Offset">Hits to skip first, for paging.</param>
/// <param name="Filter">Only points matching it are considered; the result still holds the K best of those.</param>
/// <param name="MinScore">Only hits with cosine similarity at least this.</param>
public sealed record VectorQuery(float[] Vector, int K, int Offset = 0, PointFilter? Filter = null, float? MinScore = null)
{
    public const int MaxK = 10_000;
}
