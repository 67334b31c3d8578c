namespace ClipSearch.SearchApi.Contracts;

/// <summary>An indexed image, with its score when it is a search result.</summary>
/// <param name="Id">Stable id of the image in its collection.</param>
/// <param name="Score">Cosine similarity to the query (higher is better); null outside search results.</param>
/// <param name="Path">Path relative to <paramref name="Root"/>, '/' separated.</param>
/// <param name="Root">The folder the image was indexed under.</param>
/// <param name="Width">Width in pixels, as displayed.</param>
/// <param name="Height">Height in pixels, as displayed.</param>
/// <param name="Format">Format sniffed from the content ("jpeg", "png", ...).</param>
/// <param name="TakenAt">EXIF date taken (camera-local time), when the file has one.</param>
/// <param name="ModifiedAt">File modification time (UTC).</param>
/// <param name="SizeBytes">File size.</param>
/// <param name="Labels">Labels written by categorization runs, by label set.</param>
/// <param name="ThumbnailUrl">Relative URL of a thumbnail.</param>
/// <param name="FileUrl">Relative URL of the full image.</param>
/// <param name="Probability">
/// For a text query to a sigmoid model (SigLIP) with known scale and bias: the model's probability that the text describes the image,
/// sigmoid(scale x score + bias), a yes/no of that image alone; null otherwise (CLIP scores have no such meaning).
/// </param>
/// <param name="MatchedBy">In a hybrid search: "meaning", "words" or "both" (which rankings found it); null otherwise.</param>
public sealed record ImageHit(Guid Id, float? Score, string Path, string Root, int Width, int Height, string? Format, DateTime? TakenAt,
    DateTimeOffset ModifiedAt, long SizeBytes, IReadOnlyDictionary<string, ImageLabel> Labels, string ThumbnailUrl, string FileUrl, float? Probability = null,
    string? MatchedBy = null);
