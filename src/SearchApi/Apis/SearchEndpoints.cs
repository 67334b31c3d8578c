using System.Diagnostics;
using ClipSearch.Engine.Search;
using ClipSearch.SearchApi.Common;
using ClipSearch.SearchApi.Contracts;
using ClipSearch.SearchApi.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Apis;

/// <summary><c>POST /api/search</c>, <c>GET /api/search</c> and <c>POST /api/search/image</c>.</summary>
internal static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/search").WithTags("Search").RateLimited();
        group.MapPost("/", SearchAsync)
            .WithName("Search")
            .WithSummary("Search by text, by an indexed image, or by a weighted combination of texts and images (negatives subtract), with a filter.")
            .TakesJson(1024 * 1024)
            .OpensCollection();
        group.MapGet("/", (string? collection, string? q, int? k, int? offset, float? minScore, string? filter, string? cutoff, string? sort, float? diversity,
                string? mode, HttpContext context, QueryVectors vectors, QueryEncoder encoder, IndexAccess index, SearchRunner runner, IOptions<ClipSearchOptions> options,
                CancellationToken ct) =>
            SearchAsync(new SearchRequest
            {
                Collection = collection, Text = q ?? "", K = k ?? 20, Offset = offset ?? 0, MinScore = minScore, Filter = filter, Cutoff = cutoff, Sort = sort,
                Diversity = diversity, Mode = mode,
            }, vectors, encoder, index, runner, options, ct))
            .WithName("SearchByText")
            .WithSummary("Search by text: the convenience form of POST /api/search, e.g. /api/search?collection=images&q=red+car&k=20&cutoff=auto&sort=taken.")
            .OpensCollection();
        group.MapPost("/image", SearchByImageAsync)
            .WithName("SearchByImage")
            .WithSummary("Images similar to an uploaded image (multipart field 'file'; form fields collection, k, offset, minScore, filter). The answer's uploadId can be used in combined queries for a while.")
            .Accepts<IFormFile>("multipart/form-data")
            .DisableAntiforgery()
            .TakesImage()
            .OpensCollection();
        return app;
    }

    private static async Task<Ok<SearchResponse>> SearchAsync([FromBody] SearchRequest request, QueryVectors vectors, QueryEncoder encoder, IndexAccess index,
        SearchRunner runner, IOptions<ClipSearchOptions> options, CancellationToken ct)
    {
        if (request is null)
        {
            throw RequestException.Invalid("the body is empty; send a JSON search request.");
        }

        var started = Stopwatch.GetTimestamp();
        var name = RequestRules.Collection(request.Collection, options.Value);
        RequestRules.Paging(request.K, request.Offset, request.MinScore, options.Value);
        var filter = RequestRules.Filter(request.Filter);
        var (cutoff, sort, diversity, mode) = RequestRules.Results(request);
        var collection = await index.OpenAsync(name, ct).ConfigureAwait(false);
        var vector = await vectors.BuildAsync(request, collection, ct).ConfigureAwait(false);
        // Words for keyword matching: the query's texts (none when it has negative terms: words cannot be subtracted); a query
        // made of one indexed image leaves that image out of its results, as "similar" does.
        var words = request.Negative is { Count: > 0 } ? ""
            : string.Join(' ', new[] { request.Text }.Concat(request.Positive?.Select(t => t.Text) ?? []).Where(t => !string.IsNullOrWhiteSpace(t)));
        var exclude = QueryVectors.SoleImage(request);
        var page = await runner.SearchAsync(collection, new ResultQuery(vector, request.K, request.Offset, filter, request.MinScore, cutoff, sort, diversity,
            words.Length > 0 ? words : null, mode, exclude), encoder.Text, ct).ConfigureAwait(false);
        // One text alone is a text-image pair per hit: a sigmoid model's probability means something there (not for images or mixes).
        var textAlone = request.ImageId is null && request.Positive is not { Count: > 0 } && request.Negative is not { Count: > 0 };
        var scoring = textAlone ? encoder.Text.Scoring : null;
        var hits = page.Hits.Select(h => ImageUrls.Hit(h.Hit.Id, h.Hit.Score, h.Hit.Payload, collection.Name, scoring?.PairProbability(h.Hit.Score),
            h.MatchedBy?.ToString().ToLowerInvariant())).ToList();
        return TypedResults.Ok(new SearchResponse(hits, Stopwatch.GetElapsedTime(started).TotalMilliseconds, name, null, page.Matches, page.Weaker,
            page.CutoffScore, page.CutoffMethod));
    }

    private static async Task<Ok<SearchResponse>> SearchByImageAsync(HttpRequest http, QueryEncoder encoder, UploadCache uploads, IndexAccess index, SearchRunner runner,
        IOptions<ClipSearchOptions> options, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var (form, bytes) = await UploadedImage.ReadAsync(http, options.Value, ct).ConfigureAwait(false);
        var name = RequestRules.Collection(form["collection"], options.Value);
        var k = FormInt(form, "k", 20);
        var offset = FormInt(form, "offset", 0);
        var minScore = form.TryGetValue("minScore", out var m) && m.Count > 0 && m[0] is { Length: > 0 } ms
            ? float.TryParse(ms, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                ? parsed : throw RequestException.Invalid($"minScore {RequestException.Quote(ms)} is not a number.")
            : (float?)null;
        RequestRules.Paging(k, offset, minScore, options.Value);
        var filter = RequestRules.Filter(form["filter"]);
        var collection = await index.OpenAsync(name, ct).ConfigureAwait(false);
        var embedding = await encoder.EncodeUploadAsync(bytes, ct).ConfigureAwait(false);
        var hits = await runner.SearchAsync(collection, embedding, k, offset, filter, minScore, null, ct).ConfigureAwait(false);
        return TypedResults.Ok(new SearchResponse(ImageUrls.Hits(hits, collection.Name), Stopwatch.GetElapsedTime(started).TotalMilliseconds, name, uploads.Add(embedding)));
    }

    internal static int FormInt(IFormCollection form, string field, int fallback) =>
        !form.TryGetValue(field, out var value) || value.Count == 0 || string.IsNullOrEmpty(value[0]) ? fallback
        : int.TryParse(value[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
        : throw RequestException.Invalid($"{field} {RequestException.Quote(value[0])} is not a whole number.");
}
