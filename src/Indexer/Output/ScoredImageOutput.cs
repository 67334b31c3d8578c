using ClipSearch.Core.Index;

namespace ClipSearch.Indexer.Output;

/// <summary>
/// An image with a cosine similarity: a search hit, or a member of a group of near-duplicates; a text search with a sigmoid
/// model (SigLIP) adds the model's probability that the text describes the image (omitted otherwise).
/// </summary>
internal sealed record ScoredImageOutput(Guid Id, string Path, double Score,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] double? Probability = null)
{
    public static ScoredImageOutput Of(Guid id, ImagePayload payload, float score, float? probability = null) =>
        new(id, payload.FullPath, Math.Round(score, 6), probability is { } p ? Math.Round(p, 6) : null);
}
