namespace ClipSearch.Core.Index;

/// <summary>
/// A vector index holding named collections of image embeddings. Implementations: the embedded store (one
/// folder on disk, the default) and Qdrant. All members are thread-safe. Every failure of the backend
/// surfaces as <see cref="VectorStoreException"/>; invalid arguments too (kind InvalidRequest).
/// </summary>
public interface IVectorStore : IDisposable
{
    /// <summary>"embedded" or "qdrant".</summary>
    string Backend { get; }

    /// <summary>Creates an empty collection for embeddings of <paramref name="modelId"/> with <paramref name="dimension"/> floats.</summary>
    /// <exception cref="VectorStoreException">CollectionExists when the name is taken.</exception>
    Task<IVectorCollection> CreateCollectionAsync(string name, string modelId, int dimension, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens an existing collection for the given model. A collection filled by another model, or of another
    /// dimension, is refused (ModelMismatch) with a message naming both: its vectors cannot be compared with
    /// this model's, and changing model means re-embedding. Pass null to open without the check.
    /// </summary>
    /// <exception cref="VectorStoreException">CollectionNotFound, or ModelMismatch.</exception>
    Task<IVectorCollection> OpenCollectionAsync(string name, string? modelId, int? dimension, CancellationToken cancellationToken = default);

    /// <summary>All collections, ordered by name.</summary>
    Task<IReadOnlyList<CollectionInfo>> ListCollectionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a collection and its points; false when it did not exist.</summary>
    Task<bool> DropCollectionAsync(string name, CancellationToken cancellationToken = default);
}
