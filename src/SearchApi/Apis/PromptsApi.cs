using ClipSearch.Core.ZeroShot;
using ClipSearch.SearchApi.Contracts;

namespace ClipSearch.SearchApi.Apis;

/// <summary><c>GET /api/prompts</c>: the named template ensembles, for choosing one and previewing its prompts.</summary>
internal static class PromptsApi
{
    public static IEndpointRouteBuilder MapPromptsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/prompts", () => TypedResults.Ok(PromptSet.Ensembles.Select(e => new PromptEnsemble(e.Key, e.Value)).ToList()))
            .WithName("PromptEnsembles").WithTags("Zero-shot")
            .WithSummary($"The named prompt ensembles ({{}} stands for the label); '{PromptSet.DefaultEnsemble}' is the default.");
        return app;
    }
}
