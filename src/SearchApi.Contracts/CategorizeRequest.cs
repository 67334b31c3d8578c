namespace ClipSearch.SearchApi.Contracts;

/// <summary>Categorize a collection (or the images matching a filter) from its stored embeddings.</summary>
public sealed record CategorizeRequest : ZeroShotSettings
{
    /// <summary>Collection to categorize.</summary>
    public string? Collection { get; init; }

    /// <summary>Only images matching this filter expression.</summary>
    public string? Filter { get; init; }

    /// <summary>Name under which labels are written (other label sets are untouched); "category" by default.</summary>
    /// <example>category</example>
    public string? LabelSet { get; init; }

    /// <summary>
    /// Give each image every label that passes the thresholds on its own, not only the best: natural with a sigmoid model
    /// (SigLIP; probability 0.5 by default); a CLIP model needs <c>minScore</c>, and a margin is refused.
    /// </summary>
    public bool MultiLabel { get; init; }

    /// <summary>Write the labels to the index (needs the API key when one is configured); false runs a dry run to look at first.</summary>
    public bool Apply { get; init; }
}
