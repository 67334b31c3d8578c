namespace ClipSearch.SearchApi.Contracts;

/// <summary>Search results, best first.</summary>
/// <param name="Hits">The hits, by score descending (then id).</param>
/// <param name="Took">Milliseconds spent answering (encoding and searching).</param>
/// <param name="Collection">The collection searched.</param>
/// <param name="UploadId">For an image upload: the id under which the uploaded image can be used in combined queries for a while.</param>
/// <param name="Matches">How many results the cut-off kept (all pages); null without a cut-off.</param>
/// <param name="Weaker">How many further results lie under the cut-off (ask again with cutoff "none" to see them); 0 without one.</param>
/// <param name="CutoffScore">The score the cut fell at (the lowest kept), when there was a cut.</param>
/// <param name="CutoffMethod">The cut-off method applied ("jump", "relative", "calibrated", "min-score"), or null.</param>
public sealed record SearchResponse(IReadOnlyList<ImageHit> Hits, double Took, string Collection, string? UploadId = null, int? Matches = null, long Weaker = 0,
    float? CutoffScore = null, string? CutoffMethod = null);
