namespace ClipSearch.Core.Index;

/// <summary>What kind of failure a <see cref="VectorStoreException"/> reports.</summary>
public enum VectorStoreErrorKind
{
    /// <summary>The collection does not exist.</summary>
    CollectionNotFound,

    /// <summary>A collection of that name exists already.</summary>
    CollectionExists,

    /// <summary>The collection was filled by another model, or has another dimension.</summary>
    ModelMismatch,

    /// <summary>A request the backend cannot accept (bad name, vector, k, filter).</summary>
    InvalidRequest,

    /// <summary>Another writer holds the index; retry later.</summary>
    Busy,

    /// <summary>The backend cannot be reached (server down, network, timeout).</summary>
    Unavailable,

    /// <summary>Any other backend failure (corrupt files, server error).</summary>
    Failed,
}
