namespace ClipSearch.SearchApi.Contracts;

/// <summary>
/// A search: <see cref="Text"/> and/or <see cref="ImageId"/>, and/or weighted <see cref="Positive"/> terms, minus
/// <see cref="Negative"/> terms. The query vector is the weighted sum of the terms' normalised embeddings
/// (negatives subtracted), normalised again.
/// </summary>
public sealed record SearchRequest
{
    /// <summary>Collection to search; the API's default collection when absent.</summary>
    /// <example>images</example>
    public string? Collection { get; init; }

    /// <summary>What to look for, in words.</summary>
    /// <example>a red car</example>
    public string? Text { get; init; }

    /// <summary>Find images like this indexed image.</summary>
    public string? ImageId { get; init; }

    /// <summary>More terms to move towards.</summary>
    public IReadOnlyList<QueryTerm>? Positive { get; init; }

    /// <summary>Terms to move away from.</summary>
    public IReadOnlyList<QueryTerm>? Negative { get; init; }

    /// <summary>Filter expression, e.g. <c>folder:/photos/2024 and format:jpeg,png and width&gt;=1000 and taken&gt;=2024-01-01 and label:category=cat</c>.</summary>
    /// <example>format:jpeg,png</example>
    public string? Filter { get; init; }

    /// <summary>Number of hits (1 to the configured maximum, 1000 by default).</summary>
    /// <example>20</example>
    public int K { get; set; } = 20; // set, not init: source-generated JSON assigns every init property, missing ones as 0

    /// <summary>Hits to skip first, for paging.</summary>
    public int Offset { get; init; }

    /// <summary>Only hits with cosine similarity at least this (-1 to 1): a fixed threshold, which overrides <see cref="Cutoff"/>.</summary>
    public float? MinScore { get; init; }

    /// <summary>
    /// Where the matches end and the weaker results begin: "none" (every result, the default), "auto" (the method chosen by
    /// measurement, see docs/BENCHMARKS.md), "jump" (at the first large drop in score), "relative" (within a margin of the
    /// best score) or "calibrated" (above the scores unrelated queries reach in this collection). The results under the cut
    /// are counted in <see cref="SearchResponse.Weaker"/>.
    /// </summary>
    /// <example>auto</example>
    public string? Cutoff { get; init; }

    /// <summary>Order of the matches: "score" (default), "taken" (date taken, newest first), "modified" (newest first) or "name" (path, A to Z).</summary>
    /// <example>score</example>
    public string? Sort { get; init; }

    /// <summary>
    /// 0 (default) to 1: how much to favour results unlike those ranked above them (maximal marginal relevance), so that
    /// bursts of near-identical photos do not fill the first page. 0.3 is a good start.
    /// </summary>
    public float? Diversity { get; init; }

    /// <summary>
    /// "hybrid" (default: by meaning and by words in file and folder names, metadata and labels, the two rankings fused),
    /// "semantic" (by meaning only) or "keyword" (by words only).
    /// </summary>
    /// <example>hybrid</example>
    public string? Mode { get; init; }
}
