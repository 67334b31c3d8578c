using ClipSearch.Clip;
using ClipSearch.Clip.Models;
using ClipSearch.Core.ZeroShot;
using ClipSearch.SearchApi.Contracts;

namespace ClipSearch.SearchApi.Apis;

/// <summary><c>GET /api/model</c>: the model the API runs, so that clients show what its scores mean.</summary>
internal static class ModelApi
{
    public static IEndpointRouteBuilder MapModelApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/model", (ClipModel model) =>
        {
            var scoring = model.Scoring;
            return TypedResults.Ok(new ModelSummary(model.ModelId, ModelFamilies.Name(model.Family), model.Dimension, scoring.IsSigmoid ? "sigmoid" : "softmax",
                scoring.HasProbabilities, Thresholds.DefaultFor(scoring).MinProbability, model.HasImageTower, model.Folder.Languages, model.SharedSpaces));
        })
        .WithName("GetModel").WithTags("Model")
        .WithSummary("The model the API runs: its family (CLIP: probabilities are shares among the labels; SigLIP: each label is its own yes/no), scoring, default threshold, languages, and whether it embeds images.");
        return app;
    }
}
