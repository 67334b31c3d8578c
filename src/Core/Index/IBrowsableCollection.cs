namespace ClipSearch.Core.Index;

/// <summary>
/// A collection that can be listed page by page in a payload order, without a query vector: the home page's
/// "newest first" before any search. Implemented by every backend's <see cref="IVectorCollection"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "'Collection' is the domain term, as in IVectorCollection.")]
public interface IBrowsableCollection
{
    /// <summary>
    /// Up to <paramref name="limit"/> points matching <paramref name="filter"/> (every point when null) in <paramref name="order"/>,
    /// after skipping <paramref name="offset"/>; fewer only at the end. Without vectors. Pages of one unchanged collection
    /// neither overlap nor skip a point (ties are ordered by id). <paramref name="offset"/> must be at least 0 and
    /// <paramref name="limit"/> at least 1 (<see cref="ArgumentOutOfRangeException"/>).
    /// </summary>
    Task<IReadOnlyList<StoredPoint>> BrowseAsync(PointFilter? filter, BrowseOrder order, int offset, int limit, CancellationToken cancellationToken = default);
}
