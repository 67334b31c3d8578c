using System.Net;
using System.Threading.RateLimiting;
using ClipSearch.Engine;
using ClipSearch.Engine.Configuration;
using ClipSearch.SearchApi.Apis;
using ClipSearch.SearchApi.Common;
using ClipSearch.SearchApi.Services;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace ClipSearch.SearchApi.Hosting;

/// <summary>The API's composition: services (<see cref="AddClipSearchApi"/>) and the request pipeline with every endpoint (<see cref="MapClipSearchApi"/>).</summary>
internal static class ApiServices
{
    private const string CorsPolicy = "configured-origins";

    public static WebApplicationBuilder AddClipSearchApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // The CLIPSEARCH_* variables the CLI reads, under everything ASP.NET Core reads (ClipSearch__* variables, arguments).
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = EnvironmentSettings.Read() });
        services.AddClipSearchEngine(builder.Configuration, new EngineHost(typeof(Program).Assembly, SettingNames.Configuration));
        services.AddOptions<ClipSearchOptions>().BindConfiguration(ClipSearchOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClipSearchOptions>, ClipSearchOptionsValidator>();

        services.AddSingleton<ApiMetrics>();
        services.AddSingleton<QueryEncoder>();
        services.AddSingleton<IndexAccess>();
        services.AddSingleton<UploadCache>();
        services.AddSingleton<QueryVectors>();
        services.AddSingleton<SearchRunner>();
        services.AddSingleton<Thumbnails>();
        services.AddSingleton<CategorizeJobs>();
        services.AddSingleton<WarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<WarmUp>()); // first: the server listens once it has run
        services.AddHostedService<CategorizeJobRunner>();

        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // bad parameters reach ApiExceptionHandler, which explains them
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.MaxDepth = 16;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<ReadinessCheck>("index-and-model", tags: ["ready"]);
        services.AddOpenTelemetry().WithMetrics(m => m.AddAspNetCoreInstrumentation().AddMeter(ApiMetrics.MeterName).AddPrometheusExporter());
        services.AddCors(o => o.AddPolicy(CorsPolicy, p => p.WithOrigins(builder.Configuration.GetSection($"{ClipSearchOptions.SectionName}:CorsOrigins").Get<string[]>() ?? [])
            .AllowAnyHeader().WithMethods("GET", "POST", "DELETE")));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(EndpointConventions.RateLimitPolicy, http =>
            {
                var perMinute = http.RequestServices.GetRequiredService<IOptions<ClipSearchOptions>>().Value.RequestsPerMinute;
                var client = http.Connection.RemoteIpAddress ?? IPAddress.None;
                return perMinute <= 0
                    ? RateLimitPartition.GetNoLimiter(IPAddress.None)
                    : RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) });
            });
            o.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = "This client sent too many requests; wait and retry." },
                }).ConfigureAwait(false);
            };
        });
        return builder;
    }

    public static WebApplication MapClipSearchApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // empty 404/405 answers (unknown routes, methods) become ProblemDetails too
        app.UseCors(CorsPolicy);
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapCollectionsApi().MapModelApi().MapSearchApi().MapImagesApi().MapBrowseApi().MapClassifyApi().MapCategorizeApi().MapPromptsApi();
        return app;
    }
}
