namespace ClipSearch.Core.Index;

/// <summary>
/// One collection of a <see cref="IVectorStore"/>. Thread-safe; many readers may run while one writer
/// writes, and readers see only committed batches. Scores are cosine similarities of unit vectors (higher
/// is better, in [-1, 1]). Results with equal scores come in ascending id order.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "'Collection' is the domain term for a named set of vectors (Qdrant, VectorData).")]
public interface IVectorCollection
{
    string Name { get; }

    string ModelId { get; }

    int Dimension { get; }

    Task<CollectionInfo> GetInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts or replaces points, atomically as a batch: when the call returns, the whole batch is durable
    /// (it survives a crash or power loss); if it throws, none of it was applied. Vectors must have the
    /// collection's dimension, be finite and have unit length (within 1e-3).
    /// </summary>
    Task UpsertAsync(IReadOnlyList<VectorPoint> points, CancellationToken cancellationToken = default);

    /// <summary>Deletes points by id; ids that do not exist are ignored. Returns how many were deleted.</summary>
    Task<long> DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default);

    /// <summary>Deletes every point matching <paramref name="filter"/>. Returns how many were deleted.</summary>
    Task<long> DeleteAsync(PointFilter filter, CancellationToken cancellationToken = default);

    /// <summary>One point by id, with its vector when asked; null when there is no such point.</summary>
    Task<StoredPoint?> GetAsync(Guid id, bool withVector = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <see cref="VectorQuery.K"/> points most similar to the query vector among those matching its filter
    /// and minimum score, after skipping <see cref="VectorQuery.Offset"/>; fewer only when fewer points match.
    /// Ordered by score descending, then id ascending.
    /// </summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every point (or every point matching <paramref name="filter"/>) in batches of at most
    /// <paramref name="batchSize"/>, in ascending id order, each point exactly once. For bulk jobs that read
    /// stored vectors instead of re-embedding. Writes made while scrolling may or may not be seen.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<StoredPoint>> ScrollAsync(PointFilter? filter = null, int batchSize = 1000, bool withVectors = true,
        CancellationToken cancellationToken = default);

    /// <summary>Number of points, or of points matching <paramref name="filter"/>.</summary>
    Task<long> CountAsync(PointFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>Sets each point's label in <paramref name="labelSet"/> (other label sets untouched); missing ids are ignored.</summary>
    Task SetLabelsAsync(string labelSet, IReadOnlyList<KeyValuePair<Guid, LabelAssignment>> labels, CancellationToken cancellationToken = default);

    /// <summary>Removes the labels of <paramref name="labelSet"/> from every point (matching <paramref name="filter"/>). Returns how many points had one.</summary>
    Task<long> ClearLabelsAsync(string labelSet, PointFilter? filter = null, CancellationToken cancellationToken = default);
}
