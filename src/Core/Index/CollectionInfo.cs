namespace ClipSearch.Core.Index;

/// <summary>A collection's identity and size.</summary>
/// <param name="Name">Collection name.</param>
/// <param name="ModelId">The model whose embeddings fill it; querying with another model is refused.</param>
/// <param name="Dimension">Embedding dimension.</param>
/// <param name="Count">Number of points.</param>
/// <param name="Backend">"embedded" or "qdrant".</param>
public sealed record CollectionInfo(string Name, string ModelId, int Dimension, long Count, string Backend);
