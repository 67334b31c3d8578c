namespace ClipSearch.Core.Index;

/// <summary>A point to upsert: a stable id, its L2-normalised embedding and its payload.</summary>
public sealed record VectorPoint(Guid Id, float[] Vector, ImagePayload Payload);
