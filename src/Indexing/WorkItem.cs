using ClipSearch.Core.Index;

namespace ClipSearch.Indexing;

/// <summary>A file the run reads: new (<paramref name="Previous"/> null) or changed since its point was stored.</summary>
internal sealed record WorkItem(ScannedFile File, StoredPoint? Previous);
