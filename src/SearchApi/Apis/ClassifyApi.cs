using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Core.ZeroShot;
using ClipSearch.SearchApi.Common;
using ClipSearch.SearchApi.Contracts;
using ClipSearch.SearchApi.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Apis;

/// <summary>
/// <c>POST /api/classify</c>: zero-shot classification of one image among labels. JSON for an indexed image
/// (imageId) or an earlier upload (uploadId); multipart/form-data to send the image itself (field "file", with
/// fields labels (comma-separated), template, ensemble, minScore, minMargin, minProbability).
/// </summary>
internal static class ClassifyApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapClassifyApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/classify", ClassifyAsync)
            .WithName("Classify").WithTags("Zero-shot")
            .WithSummary("Probabilities of an image for each label, zero-shot: JSON with imageId or uploadId, or multipart with the image in 'file'.")
            .Accepts<ClassifyRequest>("application/json", "multipart/form-data")
            .DisableAntiforgery()
            .TakesImage()
            .OpensCollection()
            .RateLimited();
        return app;
    }

    private static async Task<Ok<ClassifyResponse>> ClassifyAsync(HttpRequest http, QueryEncoder encoder, UploadCache uploads, IndexAccess index,
        IOptions<ClipSearchOptions> options, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        ClassifyRequest request;
        float[] embedding;
        if (http.HasFormContentType)
        {
            var (form, bytes) = await UploadedImage.ReadAsync(http, options.Value, ct).ConfigureAwait(false);
            request = new ClassifyRequest
            {
                Labels = [.. form["labels"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                Template = NullIfEmpty(form["template"]),
                Ensemble = NullIfEmpty(form["ensemble"]),
                MinScore = FormFloat(form, "minScore"),
                MinMargin = FormFloat(form, "minMargin"),
                MinProbability = FormFloat(form, "minProbability"),
            };
            _ = RequestRules.ZeroShot(request, options.Value); // refuse bad labels before decoding anything
            embedding = await encoder.EncodeUploadAsync(bytes, ct).ConfigureAwait(false);
        }
        else if (http.HasJsonContentType())
        {
            request = await ReadJsonAsync(http, ct).ConfigureAwait(false);
            _ = RequestRules.ZeroShot(request, options.Value);
            embedding = await EmbeddingAsync(request, uploads, index, options.Value, ct).ConfigureAwait(false);
        }
        else
        {
            throw new RequestException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "send JSON (with imageId or uploadId) or multipart/form-data (with the image in 'file').");
        }

        var (labels, prompts, thresholds) = RequestRules.ZeroShot(request, options.Value);
        var classifier = await Task.Run(() => ZeroShotClassifier.Create(labels, prompts, encoder.Text, ct), ct).ConfigureAwait(false);
        var result = classifier.Classify(embedding, thresholds);
        return TypedResults.Ok(new ClassifyResponse([.. result.Labels.Select(l => new LabelProbability(l.Label, l.Probability, l.Score))], result.Label,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds));
    }

    private static async Task<ClassifyRequest> ReadJsonAsync(HttpRequest http, CancellationToken ct)
    {
        try
        {
            return await http.ReadFromJsonAsync<ClassifyRequest>(Json, ct).ConfigureAwait(false)
                ?? throw RequestException.Invalid("the body is empty; send a JSON classification request.");
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("invalid JSON", StatusCodes.Status400BadRequest, e);
        }
    }

    private static async Task<float[]> EmbeddingAsync(ClassifyRequest request, UploadCache uploads, IndexAccess index, ClipSearchOptions options, CancellationToken ct)
    {
        if ((request.ImageId is null) == (request.UploadId is null))
        {
            throw RequestException.Invalid("give exactly one of imageId (an indexed image) or uploadId (an uploaded one), or send the image as multipart/form-data.");
        }

        if (request.UploadId is { } uploadId)
        {
            return uploads.Find(uploadId) ?? throw RequestException.NotFound($"uploadId {RequestException.Quote(uploadId)} is unknown or has expired; upload the image again.");
        }

        var id = RequestRules.ImageId(request.ImageId, "imageId");
        var name = RequestRules.Collection(request.Collection, options);
        var collection = await index.OpenAsync(name, ct).ConfigureAwait(false);
        var point = await collection.GetAsync(id, withVector: true, ct).ConfigureAwait(false)
            ?? throw RequestException.NotFound($"no image {id} in collection '{name}'.");
        return point.Vector!;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static float? FormFloat(IFormCollection form, string field) =>
        NullIfEmpty(form[field]) is not { } text ? null
        : float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw RequestException.Invalid($"{field} {RequestException.Quote(text)} is not a number.");
}
