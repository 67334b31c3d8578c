namespace ClipSearch.Core.Embeddings;

/// <summary>What every encoder says about the embeddings it makes.</summary>
public interface IEncoder
{
    /// <summary>
    /// The embedding space the vectors live in, as collections record it: a collection filled by one model is
    /// searchable only with encoders of the same id (see <see cref="Index.IVectorStore.OpenCollectionAsync"/>).
    /// </summary>
    string ModelId { get; }

    /// <summary>Floats per embedding.</summary>
    int Dimension { get; }
}
