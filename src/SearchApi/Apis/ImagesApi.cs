using ClipSearch.Core.Index;
using ClipSearch.SearchApi.Common;
using ClipSearch.SearchApi.Contracts;
using ClipSearch.SearchApi.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ClipSearch.SearchApi.Apis;

/// <summary>
/// <c>/api/images/{id}</c>: metadata, similar images, thumbnail and file. Files are found by id through the
/// index only, and served only from inside their collection root (see <see cref="CollectionFiles"/>).
/// </summary>
internal static class ImagesApi
{
    private const string UnknownFormat = "application/octet-stream";

    /// <summary>The content type of each format the index records (the OpenAPI document lists them too).</summary>
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["jpeg"] = "image/jpeg",
        ["png"] = "image/png",
        ["gif"] = "image/gif",
        ["bmp"] = "image/bmp",
        ["tiff"] = "image/tiff",
        ["webp"] = "image/webp",
        ["tga"] = "image/x-tga",
        ["pbm"] = "image/x-portable-anymap",
    };

    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/images/{id}").WithTags("Images");
        group.MapGet("/", async (string id, string? collection, IndexAccess index, IOptions<ClipSearchOptions> options, CancellationToken ct) =>
        {
            var (point, name) = await FindAsync(id, collection, false, index, options.Value, ct).ConfigureAwait(false);
            return TypedResults.Ok(ImageUrls.Hit(point.Id, null, point.Payload, name));
        })
        .WithName("GetImage").WithSummary("An indexed image's metadata and labels.")
        .OpensCollection();

        group.MapGet("/similar", async (string id, string? collection, int? k, int? offset, float? minScore, string? filter, IndexAccess index, SearchRunner runner,
            IOptions<ClipSearchOptions> options, CancellationToken ct) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            RequestRules.Paging(k ?? 20, offset ?? 0, minScore, options.Value);
            var parsed = RequestRules.Filter(filter);
            var (point, name) = await FindAsync(id, collection, true, index, options.Value, ct).ConfigureAwait(false);
            var searched = await index.OpenAsync(name, ct).ConfigureAwait(false);
            var hits = await runner.SearchAsync(searched, point.Vector!, k ?? 20, offset ?? 0, parsed, minScore, point.Id, ct).ConfigureAwait(false);
            return TypedResults.Ok(new SearchResponse(ImageUrls.Hits(hits, searched.Name), System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, name));
        })
        .WithName("SimilarImages").WithSummary("The images most similar to an indexed image (itself left out): \"more like this\".")
        .OpensCollection()
        .RateLimited();

        group.MapGet("/thumbnail", async Task<Results<FileContentHttpResult, StatusCodeHttpResult>> (string id, string? collection, int? size, HttpContext http,
            IndexAccess index, Thumbnails thumbnails, IOptions<ClipSearchOptions> options, CancellationToken ct) =>
        {
            var wanted = size ?? ImageUrls.DefaultThumbnailSize;
            if (wanted is < 16 or > 4096)
            {
                throw RequestException.Invalid($"size must be between 16 and 4096 pixels, got {wanted}.");
            }

            var (point, _) = await FindAsync(id, collection, false, index, options.Value, ct).ConfigureAwait(false);
            var thumbnail = await thumbnails.GetAsync(point, Thumbnails.Snap(wanted), ct).ConfigureAwait(false);
            http.Response.Headers.CacheControl = "public, max-age=86400";
            if (http.Request.Headers.IfNoneMatch.Contains(thumbnail.ETag))
            {
                http.Response.Headers.ETag = thumbnail.ETag;
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }

            return TypedResults.File(thumbnail.Bytes, thumbnail.ContentType, entityTag: new EntityTagHeaderValue(thumbnail.ETag));
        })
        .WithName("ImageThumbnail").WithSummary("A thumbnail (longest side snapped up to 64, 128, 256, 512 or 1024 pixels), made once per version of the file and cached, with ETag.")
        .Produces<Stream>(StatusCodes.Status200OK, "image/jpeg", "image/png")
        .Produces(StatusCodes.Status304NotModified)
        .ProducesProblems(StatusCodes.Status422UnprocessableEntity)
        .OpensCollection()
        .RateLimited();

        group.MapGet("/file", async (string id, string? collection, HttpContext http, IndexAccess index, IOptions<ClipSearchOptions> options, CancellationToken ct) =>
        {
            var (point, _) = await FindAsync(id, collection, false, index, options.Value, ct).ConfigureAwait(false);
            // Served from the handle that was checked: the result disposes the stream, which closes the file.
            var file = CollectionFiles.Open(point.Payload)
                ?? throw RequestException.NotFound($"the file of image {point.Id} is gone, or now lies outside its collection root; re-index its folder.");
            http.Response.Headers.CacheControl = "private, max-age=3600";
            return TypedResults.Stream(file.OpenRead(), ContentType(point.Payload.Format), lastModified: file.LastModified, enableRangeProcessing: true);
        })
        .WithName("ImageFile").WithSummary("The full image file.")
        .Produces<Stream>(StatusCodes.Status200OK, UnknownFormat, [.. ContentTypes.Values])
        .OpensCollection();
        return app;
    }

    private static async Task<(StoredPoint Point, string Collection)> FindAsync(string id, string? collection, bool withVector, IndexAccess index,
        ClipSearchOptions options, CancellationToken ct)
    {
        var guid = RequestRules.ImageId(id);
        var name = RequestRules.Collection(collection, options);
        var opened = await index.OpenAsync(name, ct).ConfigureAwait(false);
        var point = await opened.GetAsync(guid, withVector, ct).ConfigureAwait(false)
            ?? throw RequestException.NotFound($"no image {guid} in collection '{name}'.");
        return (point, name);
    }

    private static string ContentType(string? format) => format is not null && ContentTypes.TryGetValue(format, out var type) ? type : UnknownFormat;
}
