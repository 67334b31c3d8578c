using System.Diagnostics.CodeAnalysis;
using ClipSearch.Core.Imaging;

namespace ClipSearch.Core.Embeddings;

/// <summary>An image file or upload made into an embedding, or the reason it could not be.</summary>
public sealed record EncodedImage(float[]? Embedding, ImageInfo? Info, ImageFailure? Failure)
{
    [MemberNotNullWhen(true, nameof(Embedding), nameof(Info))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Embedding is not null;
}
