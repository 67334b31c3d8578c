namespace ClipSearch.SearchApi.Contracts;

/// <summary>One term of a combined query: exactly one of a text, an indexed image or an uploaded image, with a weight.</summary>
public sealed record QueryTerm
{
    /// <summary>Words describing what to find (or, in negative, what to avoid).</summary>
    /// <example>beach</example>
    public string? Text { get; init; }

    /// <summary>Id of an indexed image (from a search hit).</summary>
    public string? ImageId { get; init; }

    /// <summary>Id returned by <c>POST /api/search/image</c> for an uploaded image, valid for a while.</summary>
    public string? UploadId { get; init; }

    /// <summary>How much this term counts (greater than 0, at most 100).</summary>
    /// <example>1</example>
    public float Weight { get; set; } = 1f; // set, not init: source-generated JSON assigns every init property, missing ones as 0
}
