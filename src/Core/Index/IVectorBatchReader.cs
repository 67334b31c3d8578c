namespace ClipSearch.Core.Index;

/// <summary>
/// An optional capability of a collection: reading stored vectors in bulk, as rows of one buffer, instead of one
/// array per point. Bulk jobs (categorization) use it when the backend offers it and fall back to
/// <see cref="IVectorCollection.ScrollAsync"/> otherwise; the results are the same.
/// </summary>
public interface IVectorBatchReader
{
    /// <summary>
    /// Calls <paramref name="onBatch"/> for the points matching <paramref name="filter"/>, in batches of at most
    /// <paramref name="batchSize"/>, in the backend's storage order (embedded: the order points were first stored, so that
    /// labels written back per batch append to its label table), each point exactly once: the points (payloads, no
    /// vectors) and their vectors as consecutive rows of the collection's dimension. The buffer is reused: it is
    /// valid only until <paramref name="onBatch"/> returns. Writes made meanwhile may or may not be seen.
    /// </summary>
    Task ReadVectorBatchesAsync(PointFilter? filter, int batchSize, Func<IReadOnlyList<StoredPoint>, ReadOnlyMemory<float>, Task> onBatch,
        CancellationToken cancellationToken = default);
}
