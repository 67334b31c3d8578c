namespace ClipSearch.Core.Index;

/// <summary>One search result: the point, its payload, and its cosine similarity to the query (higher is better).</summary>
public sealed record SearchHit(Guid Id, float Score, ImagePayload Payload);
