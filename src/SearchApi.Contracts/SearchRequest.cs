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

    /// <summary>Only hits with cosine similarity at least this (-1 to 1).</summary>
    public float? MinScore { get; init; }
}
