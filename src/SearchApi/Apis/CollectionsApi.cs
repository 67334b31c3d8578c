using ClipSearch.Core.Embeddings;
using ClipSearch.SearchApi.Contracts;
using ClipSearch.SearchApi.Services;

namespace ClipSearch.SearchApi.Apis;

/// <summary><c>GET /api/collections</c>.</summary>
internal static class CollectionsApi
{
    public static IEndpointRouteBuilder MapCollectionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/collections", async (IndexAccess index, ITextEncoder model, CancellationToken ct) =>
        {
            var collections = await index.Store.ListCollectionsAsync(ct).ConfigureAwait(false);
            return TypedResults.Ok(collections.Select(c => new CollectionSummary(c.Name, c.Count, c.ModelId, c.Dimension, c.Backend,
                ModelCompatibility.CanQuery(c.ModelId, c.Dimension, model))).ToList());
        })
        .WithName("ListCollections").WithTags("Collections")
        .WithSummary("The collections of the index, with their size and model; only those filled by the API's model (or by the model whose image space it shares) are searchable.")
        .ProducesProblems(StatusCodes.Status503ServiceUnavailable);
        return app;
    }
}
