using ClipSearch.Core;

namespace ClipSearch.Clip.Imaging.Thumbnails;

/// <summary>A thumbnail, or why the image could not be made into one.</summary>
public readonly record struct ThumbnailResult(ThumbnailImage? Image, ImageFailure? Failure)
{
    public static ThumbnailResult Fail(SkipReason reason, string detail) => new(null, new ImageFailure(reason, detail));
}
