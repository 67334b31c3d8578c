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

    /// <summary>
    /// Every model id whose collections accept this encoder's queries besides its own: <see cref="SharedSpace"/> first,
    /// then other exports of the same weights under other names (OpenAI's ViT-B/32 as Xenova, immich and Qdrant
    /// publish it), which record different ids in the collections they fill.
    /// </summary>
    IReadOnlyList<string> SharedSpaces => SharedSpace is { } space ? [space] : [];
}
