using System.Diagnostics.CodeAnalysis;
using ClipSearch.Core;

namespace ClipSearch.Clip.Imaging;

/// <summary>Either a decoded image or the reason there is none; decoding never throws across the pipeline.</summary>
public readonly record struct ImageDecodeResult(DecodedImage? Image, ImageFailure? Failure)
{
    [MemberNotNullWhen(true, nameof(Image))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Image is not null;

    public static ImageDecodeResult Fail(SkipReason reason, string detail) => new(null, new ImageFailure(reason, detail));
}
