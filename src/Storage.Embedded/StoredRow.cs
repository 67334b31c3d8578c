using ClipSearch.Core.Index;

namespace ClipSearch.Storage.Embedded;

/// <summary>A point as stored: its id, its stable integer key (the approximate index's key), change sequence, vector, payload.</summary>
internal sealed record StoredRow(Guid Id, long Key, long Seq, float[] Vector, ImagePayload Payload);
