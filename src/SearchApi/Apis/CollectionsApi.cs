using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
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

        app.MapGet("/api/collections/{name}/labels", async (string name, IndexAccess index, CancellationToken ct) =>
        {
            var collection = await index.OpenAsync(name, ct).ConfigureAwait(false);
            return TypedResults.Ok(await LabelSetsAsync(collection, ct).ConfigureAwait(false));
        })
        .WithName("CollectionLabels").WithTags("Collections")
        .WithSummary("The label sets categorization runs wrote into a collection, each with its labels and how many images have them (read from the stored labels): what a label filter can choose from.")
        .OpensCollection()
        .RateLimited(); // reads every payload of the collection
        return app;
    }

    private static async Task<List<LabelSetSummary>> LabelSetsAsync(IVectorCollection collection, CancellationToken ct)
    {
        var sets = new SortedDictionary<string, (int Images, Dictionary<string, int> Labels)>(StringComparer.Ordinal);
        await foreach (var batch in collection.ScrollAsync(null, 1000, withVectors: false, ct).ConfigureAwait(false))
        {
            foreach (var (set, assignment) in batch.SelectMany(p => p.Payload.Labels))
            {
                var (images, labels) = sets.TryGetValue(set, out var known) ? known : (0, new Dictionary<string, int>(StringComparer.Ordinal));
                foreach (var label in assignment.Assigned().Where(l => l.Label.Length > 0)) // "none of these" is no label to filter by
                {
                    labels[label.Label] = labels.GetValueOrDefault(label.Label) + 1;
                }

                sets[set] = (images + 1, labels);
            }
        }

        return [.. sets.Select(s => new LabelSetSummary(s.Key, s.Value.Images, [.. s.Value.Labels
            .OrderByDescending(l => l.Value).ThenBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new LabelCount(l.Key, l.Value, (double)l.Value / s.Value.Images))]))];
    }
}
