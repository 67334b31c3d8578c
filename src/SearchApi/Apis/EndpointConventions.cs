using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace ClipSearch.SearchApi.Apis;

/// <summary>
/// What endpoints declare about themselves, each convention with the error responses it brings, so that the OpenAPI
/// document lists them. The problems themselves are written in one place (Hosting's ApiExceptionHandler, and the rate
/// limiter's rejection) from what the handlers throw; these only say which statuses an endpoint can answer with.
/// </summary>
internal static class EndpointConventions
{
    /// <summary>The rate-limiting policy of the search, upload and zero-shot endpoints (registered by the composition root).</summary>
    public const string RateLimitPolicy = "per-client";

    private static readonly string[] ProblemContentType = ["application/problem+json"];

    /// <summary>Limited per client to the configured requests per minute: 429 beyond.</summary>
    public static TBuilder RateLimited<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(RateLimitPolicy).ProducesProblems(StatusCodes.Status429TooManyRequests);

    /// <summary>Opens a collection: not a collection name (400), no such collection or image (404), filled by another model (409), the index busy or unreachable (503).</summary>
    public static RouteHandlerBuilder OpensCollection(this RouteHandlerBuilder builder) =>
        builder.ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status503ServiceUnavailable);

    /// <summary>Reads a JSON body of at most <paramref name="maxBytes"/>: malformed or invalid (400), larger (413), not JSON (415).</summary>
    public static RouteHandlerBuilder TakesJson(this RouteHandlerBuilder builder, long maxBytes) =>
        builder.WithMetadata(new RequestSizeLimitAttribute(maxBytes))
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

    /// <summary>Reads an uploaded image: a malformed form (400), too large (413), not multipart or not an image (415), an image that cannot be decoded (422).</summary>
    public static RouteHandlerBuilder TakesImage(this RouteHandlerBuilder builder) =>
        builder.ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType,
            StatusCodes.Status422UnprocessableEntity);

    /// <summary>Needs the API key when one is configured (<see cref="ApiKeyFilter"/>): 401 without it.</summary>
    public static RouteHandlerBuilder RequiresApiKey(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ApiKeyFilter>().ProducesProblems(StatusCodes.Status401Unauthorized);

    /// <summary>Lists ProblemDetails responses with these statuses, once each however many conventions name one.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            foreach (var status in statuses)
            {
                if (!endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == status))
                {
                    endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ProblemContentType));
                }
            }
        });
        return builder;
    }
}
