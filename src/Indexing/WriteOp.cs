using ClipSearch.Core.Index;

namespace ClipSearch.Indexing;

/// <summary>
/// A file's finished work, written with others in one durable batch: the point to upsert (if any), the points it
/// replaces or removes, and the skip record to keep (a file without one has its record forgotten).
/// </summary>
internal sealed record WriteOp(FileOutcome Outcome, string FullPath, VectorPoint? Point = null, Guid[]? Delete = null, SkippedFile? Skip = null);
