using ClipSearch.Core;
using ClipSearch.Core.Imaging;
using ClipSearch.Core.Index;

namespace ClipSearch.Indexing;

/// <summary>
/// Where a content's embedding comes from: encoded in this run, or the stored point of identical content
/// (<paramref name="From"/>); or why there is none (<paramref name="Failure"/>).
/// </summary>
internal sealed record EmbeddingSource(float[]? Vector, ImageInfo? Info, ImageFailure? Failure, StoredPoint? From = null);
