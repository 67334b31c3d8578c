using ClipSearch.Core.Index;
using ClipSearch.SearchApi.Contracts;

namespace ClipSearch.SearchApi.Apis;

/// <summary>The API's view of an indexed image, with the relative URLs of its thumbnail and file.</summary>
internal static class ImageUrls
{
    public const int DefaultThumbnailSize = 256;

    private static readonly IReadOnlyDictionary<string, ImageLabel> NoLabels = new Dictionary<string, ImageLabel>();

    public static string Thumbnail(Guid id, string collection, int size = DefaultThumbnailSize) =>
        $"/api/images/{id}/thumbnail?collection={Uri.EscapeDataString(collection)}&size={size}";

    public static string File(Guid id, string collection) => $"/api/images/{id}/file?collection={Uri.EscapeDataString(collection)}";

    public static ImageHit Hit(Guid id, float? score, ImagePayload p, string collection, float? probability = null, string? matchedBy = null) =>
        new(id, score, p.Path, p.Root, p.Width, p.Height, p.Format, p.TakenAt, p.ModifiedAt, p.SizeBytes,
            p.Labels.Count == 0 ? NoLabels : p.Labels.ToDictionary(kv => kv.Key, kv => new ImageLabel(kv.Value.Label, kv.Value.Score, kv.Value.RunId, kv.Value.RunnerUp,
                kv.Value.RunnerUpScore, Further(kv.Value.Also)), StringComparer.Ordinal),
            Thumbnail(id, collection), File(id, collection), probability, matchedBy);

    /// <summary>A multi-label run's further labels in the contract's terms (null for a single-label run).</summary>
    public static List<FurtherLabel>? Further(IReadOnlyList<ScoredLabel>? also) => also is null ? null : [.. also.Select(a => new FurtherLabel(a.Label, a.Score))];

    public static List<ImageHit> Hits(IEnumerable<SearchHit> hits, string collection) => [.. hits.Select(h => Hit(h.Id, h.Score, h.Payload, collection))];
}
