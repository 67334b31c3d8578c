using System.Text.Json;
using ClipSearch.Clip.Models;
using ClipSearch.Core.Index;
using ClipSearch.SearchApi.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ClipSearch.SearchApi.Hosting;

/// <summary>
/// Turns every exception into an RFC 9457 ProblemDetails with the right status and a message written for the
/// client: never a stack trace, never raw exception text of a library.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away: nobody to answer
        }

        var (status, title, detail) = Describe(exception);
        if (status >= 500)
        {
            LogUnexpected(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        }

        if (exception is VectorStoreException { Kind: VectorStoreErrorKind.Busy or VectorStoreErrorKind.Unavailable })
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }

    private static (int Status, string Title, string Detail) Describe(Exception exception) => exception switch
    {
        RequestException r => (r.Status, r.Title, r.Message),
        BadHttpRequestException { InnerException: JsonException json } b =>
            (b.StatusCode, "Invalid request body", $"The body is not valid JSON for this request: {JsonDetail(json)}"),
        BadHttpRequestException b when b.StatusCode == StatusCodes.Status413PayloadTooLarge => (b.StatusCode, "Request too large", b.Message),
        BadHttpRequestException b => (b.StatusCode, "Invalid request", b.Message),
        VectorStoreException v => v.Kind switch
        {
            VectorStoreErrorKind.CollectionNotFound => (StatusCodes.Status404NotFound, "Collection not found", v.Message),
            VectorStoreErrorKind.ModelMismatch => (StatusCodes.Status409Conflict, "Model mismatch", v.Message),
            VectorStoreErrorKind.InvalidRequest => (StatusCodes.Status400BadRequest, "Invalid request", v.Message),
            VectorStoreErrorKind.CollectionExists => (StatusCodes.Status409Conflict, "Collection exists", v.Message),
            VectorStoreErrorKind.Busy => (StatusCodes.Status503ServiceUnavailable, "Index busy", v.Message),
            VectorStoreErrorKind.Unavailable => (StatusCodes.Status503ServiceUnavailable, "Index unreachable", v.Message),
            _ => (StatusCodes.Status500InternalServerError, "Index failure", v.Message),
        },
        ClipModelException m => (StatusCodes.Status500InternalServerError, "Model failure", m.Message),
        _ => (StatusCodes.Status500InternalServerError, "Unexpected error", "The server failed to handle this request; the error is in its log."),
    };

    /// <summary>System.Text.Json's message without the .NET type names it mentions: the JSON path and position stay.</summary>
    private static string JsonDetail(JsonException json)
    {
        var where = json.Path is { Length: > 0 } path ? $" at {path}" : "";
        var line = json.LineNumber is { } l ? $" (line {l + 1}, byte {json.BytePositionInLine + 1})" : "";
        var what = json.Message.Contains("could not be converted", StringComparison.Ordinal) ? "a value of the wrong type" : "malformed JSON";
        return $"{what}{where}{line}.";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure of {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, string method, PathString path, Exception exception);
}
