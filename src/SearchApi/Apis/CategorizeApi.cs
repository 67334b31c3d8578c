using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Categorization;
using ClipSearch.SearchApi.Common;
using ClipSearch.SearchApi.Contracts;
using ClipSearch.SearchApi.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Apis;

/// <summary>
/// <c>/api/categorize</c>: zero-shot categorization of a stored collection as a background job (from the stored
/// embeddings: no image is decoded again), its progress and distribution, the images per label, the export, and
/// cancellation. A dry run (the default) writes nothing; <c>apply</c> writes the labels and needs the API key when one is set.
/// </summary>
internal static class CategorizeApi
{
    public static IEndpointRouteBuilder MapCategorizeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/categorize").WithTags("Zero-shot");
        group.MapPost("/", StartAsync)
            .WithName("StartCategorize")
            .WithSummary("Starts categorizing a collection (or the images matching a filter); answers 202 with the job to poll.")
            .TakesJson(1024 * 1024)
            .OpensCollection()
            .ProducesProblems(StatusCodes.Status401Unauthorized) // apply without the API key; 409 also when the jobs' slots are taken
            .RateLimited();
        group.MapGet("/{job}", (string job, CategorizeJobs jobs) => TypedResults.Ok(Status(Find(jobs, job))))
            .WithName("GetCategorize").WithSummary("A job's state, progress and distribution.")
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapGet("/{job}/images", (string job, string? label, int? offset, int? k, CategorizeJobs jobs) =>
        {
            var found = Find(jobs, job);
            var (skip, take) = (offset ?? 0, k ?? 50);
            if (skip < 0 || take is < 1 or > 1000)
            {
                throw RequestException.Invalid("offset must be at least 0 and k between 1 and 1000.");
            }

            return TypedResults.Ok(found.Page(label, skip, take).Select(r => Row(r, found.Collection)).ToList());
        })
            .WithName("CategorizedImages").WithSummary("The images of a job with one label (\"\" for none of these), best score first.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        group.MapGet("/{job}/export", ExportAsync)
            .WithName("ExportCategorize").WithSummary("Every image's label as CSV or JSON (format=csv|json), streamed.")
            .Produces<Stream>(StatusCodes.Status200OK, "text/csv", "application/json")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapDelete("/{job}", (string job, CategorizeJobs jobs) =>
        {
            var found = Find(jobs, job);
            if (!found.IsFinished)
            {
                found.Cancellation.Cancel();
            }

            return TypedResults.Accepted($"/api/categorize/{found.Id}", Status(found));
        })
            .WithName("CancelCategorize").WithSummary("Cancels a running job (a finished one is left as it is).")
            .RequiresApiKey()
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Accepted<CategorizeStatus>> StartAsync([FromBody] CategorizeRequest request, HttpContext http, QueryEncoder encoder, IndexAccess index,
        CategorizeJobs jobs, IOptions<ClipSearchOptions> options, CancellationToken ct)
    {
        if (request is null)
        {
            throw RequestException.Invalid("the body is empty; send a JSON categorization request.");
        }

        if (request.Apply)
        {
            ApiKeyFilter.Check(http, options.Value);
        }

        var (labels, prompts, thresholds) = RequestRules.ZeroShot(request, options.Value);
        var labelSet = request.LabelSet is { Length: > 0 } set ? set : Categorizer.DefaultLabelSet;
        try
        {
            LabelSets.Validate(labelSet);
        }
        catch (VectorStoreException e)
        {
            throw RequestException.Invalid(e.Message);
        }

        var filter = RequestRules.Filter(request.Filter);
        var collection = await index.OpenAsync(RequestRules.Collection(request.Collection, options.Value), ct).ConfigureAwait(false);
        var classifier = await Task.Run(() => ZeroShotClassifier.Create(labels, prompts, encoder.Text, ct), ct).ConfigureAwait(false);
        CategorizeJob? job;
        string? refusal;
        try
        {
            (job, refusal) = jobs.Start(collection, classifier, prompts.Key, thresholds, labelSet, filter, request.Apply, request.MultiLabel);
        }
        catch (ArgumentException e)
        {
            throw RequestException.Invalid($"multiLabel: {e.Message}.");
        }

        if (job is null)
        {
            throw new RequestException(StatusCodes.Status409Conflict, "Jobs running", refusal!);
        }

        return TypedResults.Accepted($"/api/categorize/{job.Id}", Status(job));
    }

    private static async Task ExportAsync(string job, string? format, HttpContext http, CategorizeJobs jobs)
    {
        var found = Find(jobs, job);
        if (!found.IsFinished)
        {
            throw new RequestException(StatusCodes.Status409Conflict, "Job running", "the job is still running; export it when its state is completed.");
        }

        var csv = (format ?? "csv").ToLowerInvariant() switch
        {
            "csv" => true,
            "json" => false,
            _ => throw RequestException.Invalid($"format {RequestException.Quote(format)} is not csv or json."),
        };
        http.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{found.Collection}-{found.LabelSet}.{(csv ? "csv" : "json")}\"";
        if (csv)
        {
            await CategorizationExport.WriteCsvAsync(http.Response.Body, found.Rows(), withId: true, found.MultiLabel, http.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await CategorizationExport.WriteJsonAsync(http.Response.Body, found.Rows(), withId: true, camelCase: true, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static CategorizeJob Find(CategorizeJobs jobs, string id) =>
        jobs.Find(id) ?? throw RequestException.NotFound($"no categorization job {RequestException.Quote(id)} (jobs are kept in memory until the API restarts; the latest {CategorizeJobs.Kept}).");

    private static CategorizedImage Row(Categorized r, string collection) =>
        new(r.Id, r.Path, r.Label, r.Score, r.RunnerUp, r.RunnerUpScore, ImageUrls.Thumbnail(r.Id, collection), ImageUrls.Further(r.Also));

    internal static CategorizeStatus Status(CategorizeJob job)
    {
        var now = job.Snapshot();
        var distribution = now.Distribution;
        // A multi-label image counts under each label it got: shares are of the images, not of the counts.
        var all = Math.Max(1, job.MultiLabel ? now.Done : distribution.Values.Sum());
        return new CategorizeStatus(job.Id, job.Collection, job.LabelSet, job.Labels, job.Apply, StateName(now.State), now.Done, now.Total,
            [.. distribution.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new LabelCount(kv.Key, kv.Value, (double)kv.Value / all))],
            now.Summary?.RunId, now.Summary?.ElapsedSeconds, now.Error, job.MultiLabel);
    }

    /// <summary>The contract's words for the states, spelled out so that renaming a member cannot change what clients read.</summary>
    private static string StateName(CategorizeJobState state) => state switch
    {
        CategorizeJobState.Running => "running",
        CategorizeJobState.Completed => "completed",
        CategorizeJobState.Failed => "failed",
        CategorizeJobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a job state"),
    };
}
