using ClipSearch.Core.Index;

namespace ClipSearch.Indexer.Output;

/// <summary>An image with a cosine similarity: a search hit, or a member of a group of near-duplicates.</summary>
internal sealed record ScoredImageOutput(Guid Id, string Path, double Score)
{
    public static ScoredImageOutput Of(Guid id, ImagePayload payload, float score) => new(id, payload.FullPath, Math.Round(score, 6));
}
