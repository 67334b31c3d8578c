namespace ClipSearch.WebUi.Hosting;

/// <summary>
/// The few API routes the browser loads directly (thumbnails, full images, exports), forwarded to the Search API,
/// so that the browser only ever talks to the web UI and the API need not be exposed. GET only, streamed.
/// </summary>
internal static class MediaProxy
{
    public const string ClientName = "media";

    private static readonly string[] RequestHeaders = ["If-None-Match", "If-Modified-Since", "Range"];
    private static readonly string[] ResponseHeaders = ["ETag", "Cache-Control", "Last-Modified", "Accept-Ranges", "Retry-After"];

    public static IEndpointRouteBuilder MapMediaProxy(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/images/{id}/thumbnail", ForwardAsync);
        app.MapGet("/api/images/{id}/file", ForwardAsync);
        app.MapGet("/api/categorize/{job}/export", ForwardAsync);
        return app;
    }

    private static async Task ForwardAsync(HttpContext context, IHttpClientFactory clients)
    {
        var http = clients.CreateClient(ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString.Value);
        foreach (var name in RequestHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, value.ToArray());
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            await Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Search service unreachable",
                detail: $"The search service at {http.BaseAddress} cannot be reached.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var name in ResponseHeaders)
            {
                if (response.Headers.TryGetValues(name, out var values))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            foreach (var header in response.Content.Headers)
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
