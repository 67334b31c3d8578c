using ClipSearch.Core.Embeddings;

namespace ClipSearch.Indexing;

/// <summary>A decoded image waiting for the encode stage, and where its embedding goes.</summary>
internal sealed record EncodeJob(PreparedImage Image, TaskCompletionSource<EmbeddingSource> Result);
