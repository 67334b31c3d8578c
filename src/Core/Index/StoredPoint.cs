namespace ClipSearch.Core.Index;

/// <summary>A point read back from the index; <see cref="Vector"/> is null unless vectors were asked for.</summary>
public sealed record StoredPoint(Guid Id, float[]? Vector, ImagePayload Payload);
