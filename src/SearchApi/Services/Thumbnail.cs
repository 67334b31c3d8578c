namespace ClipSearch.SearchApi.Services;

/// <summary>A thumbnail's bytes, its content type and its entity tag.</summary>
internal sealed record Thumbnail(byte[] Bytes, string ContentType, string ETag);
