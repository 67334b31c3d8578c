namespace ClipSearch.SearchApi.Contracts;

/// <summary>A collection of the index.</summary>
/// <param name="Name">Collection name, as given to <c>clipsearch index --collection</c>.</param>
/// <param name="Count">Number of images.</param>
/// <param name="ModelId">The model whose embeddings fill it.</param>
/// <param name="Dimension">Embedding dimension.</param>
/// <param name="Backend">"embedded" or "qdrant".</param>
/// <param name="Searchable">Whether the API's model can search it (same model and dimension).</param>
public sealed record CollectionSummary(string Name, long Count, string ModelId, int Dimension, string Backend, bool Searchable);
