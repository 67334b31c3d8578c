using ClipSearch.Core.Index;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// Receives consecutive slots of a collection as stored: their float32 rows (<paramref name="rows"/>, dimension floats
/// each, read in place from the memory-mapped row file), ids and payloads; a free slot has <see cref="Guid.Empty"/>
/// and a null payload. <paramref name="worker"/> tells which of the parallel visits calls.
/// </summary>
public delegate void StoredRowsVisitor(int worker, ReadOnlySpan<float> rows, ReadOnlySpan<Guid> ids, ReadOnlySpan<ImagePayload?> payloads);
