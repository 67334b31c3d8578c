using System.Diagnostics.CodeAnalysis;

namespace ClipSearch.Core.Embeddings;

/// <summary>Either a prepared image or the reason there is none.</summary>
public readonly record struct PrepareResult(PreparedImage? Image, ImageFailure? Failure)
{
    [MemberNotNullWhen(true, nameof(Image))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Image is not null;

    public static PrepareResult Fail(SkipReason reason, string detail) => new(null, new ImageFailure(reason, detail));

    public static PrepareResult Fail(ImageFailure failure) => new(null, failure);
}
