namespace ClipSearch.Clip.Imaging.Thumbnails;

/// <summary>An encoded thumbnail: JPEG, or PNG when the image has transparency.</summary>
public sealed record ThumbnailImage(byte[] Bytes, string ContentType);
