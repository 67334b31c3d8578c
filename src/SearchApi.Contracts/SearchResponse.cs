namespace ClipSearch.SearchApi.Contracts;

/// <summary>Search results, best first.</summary>
/// <param name="Hits">The hits, by score descending (then id).</param>
/// <param name="Took">Milliseconds spent answering (encoding and searching).</param>
/// <param name="Collection">The collection searched.</param>
/// <param name="UploadId">For an image upload: the id under which the uploaded image can be used in combined queries for a while.</param>
public sealed record SearchResponse(IReadOnlyList<ImageHit> Hits, double Took, string Collection, string? UploadId = null);
