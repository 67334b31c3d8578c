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

    /// <summary>
    /// Another model whose image space these embeddings were trained to share (a multilingual text tower distilled
    /// onto that model's text tower, or another export of the same weights), or null. Collections that model filled,
    /// whatever its weight variant, accept this encoder's queries (see <see cref="ModelCompatibility"/>).
    /// </summary>
    string? SharedSpace => null;
}
