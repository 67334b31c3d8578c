namespace ClipSearch.SearchApi.Contracts;

/// <summary>Zero-shot classification of one image (an indexed one, or an upload) among labels.</summary>
public sealed record ClassifyRequest : ZeroShotSettings
{
    /// <summary>Collection of <see cref="ImageId"/>.</summary>
    public string? Collection { get; init; }

    /// <summary>An indexed image.</summary>
    public string? ImageId { get; init; }

    /// <summary>An image uploaded with <c>POST /api/search/image</c>.</summary>
    public string? UploadId { get; init; }
}
