namespace ClipSearch.SearchApi.Apis;

/// <summary>What endpoints declare about themselves, each convention with the responses it brings.</summary>
internal static class EndpointConventions
{
    /// <summary>The rate-limiting policy of the search, upload and zero-shot endpoints (registered by the composition root).</summary>
    public const string RateLimitPolicy = "per-client";

    /// <summary>Limited per client to the configured requests per minute.</summary>
    public static TBuilder RateLimited<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(RateLimitPolicy);
}
