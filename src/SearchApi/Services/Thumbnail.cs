namespace ClipSearch.SearchApi.Services;

/// <summary>A thumbnail file on disk, its content type and its entity tag.</summary>
internal sealed record Thumbnail(string Path, string ContentType, string ETag);
