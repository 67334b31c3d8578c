using System.Diagnostics;
using ClipSearch.Core.Index;
using ClipSearch.SearchApi.Common;
using ClipSearch.SearchApi.Contracts;
using ClipSearch.SearchApi.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Apis;

/// <summary><c>GET /api/images</c>: a collection page by page without a query (the web UI's home page), newest first by default.</summary>
internal static class BrowseApi
{
    /// <summary>The sort parameter's values and what they mean (see <see cref="BrowseOrder"/>).</summary>
    private static readonly Dictionary<string, BrowseOrder> Orders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["modified"] = BrowseOrder.Modified,
        ["taken"] = BrowseOrder.Taken,
        ["name"] = BrowseOrder.Name,
    };

    public static IEndpointRouteBuilder MapBrowseApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/images", BrowseAsync)
            .WithName("BrowseImages").WithTags("Images")
            .WithSummary("A collection's images without a query, page by page: sort=taken (date taken, newest first; undated images after, newest modified first, "
                + "the default), modified (newest first) or name (path A to Z); ties by id. With a filter, offset and k as in search; hits have no score.")
            .OpensCollection()
            .RateLimited(); // a page of a large Qdrant collection reads every matching payload
        return app;
    }

    private static async Task<Ok<SearchResponse>> BrowseAsync(string? collection, string? filter, string? sort, int? offset, int? k, IndexAccess index,
        IOptions<ClipSearchOptions> options, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var name = RequestRules.Collection(collection, options.Value);
        RequestRules.Paging(k ?? 20, offset ?? 0, null, options.Value);
        var order = sort is null ? BrowseOrder.Taken : Orders.TryGetValue(sort, out var o) ? o
            : throw RequestException.Invalid($"sort must be one of {string.Join(", ", Orders.Keys)}, got {RequestException.Quote(sort)}.");
        var parsed = RequestRules.Filter(filter);
        var opened = await index.OpenAsync(name, ct).ConfigureAwait(false);
        // Both backends can browse; a collection that could not would be listed the plain way.
        var points = opened is IBrowsableCollection browsable
            ? await browsable.BrowseAsync(parsed, order, offset ?? 0, k ?? 20, ct).ConfigureAwait(false)
            : await BrowseOrders.SortedPageAsync(opened, parsed, order, offset ?? 0, k ?? 20, ct).ConfigureAwait(false);
        var hits = points.Select(p => ImageUrls.Hit(p.Id, null, p.Payload, opened.Name)).ToList();
        return TypedResults.Ok(new SearchResponse(hits, Stopwatch.GetElapsedTime(started).TotalMilliseconds, name));
    }
}
