using ClipSearch.Core.Index;

namespace ClipSearch.Core.Imaging;

/// <summary>What the indexer records about a decoded image.</summary>
/// <param name="Format">Format sniffed from the content ("jpeg", "png", ...).</param>
/// <param name="Width">Displayed width (after EXIF orientation).</param>
/// <param name="Height">Displayed height (after EXIF orientation).</param>
/// <param name="HasAlpha">Whether any pixel is not fully opaque.</param>
/// <param name="TakenAt">EXIF date taken, camera-local time, when present.</param>
/// <param name="Text">Camera, title, description and keywords from the file's metadata, when it has any.</param>
public sealed record ImageInfo(string Format, int Width, int Height, bool HasAlpha, DateTime? TakenAt, ImageText? Text = null);
