using System.Text.Json;
using ClipSearch.Clip.Models;
using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
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
        else if (exception is VectorStoreException store && store.PublicMessage != store.Message)
        {
            LogStoreDetail(logger, httpContext.Request.Method, httpContext.Request.Path, store.Message);
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
        // Clients read the store's public wording: the server's paths, addresses and library text stay in the log.
        VectorStoreException v => v.Kind switch
        {
            VectorStoreErrorKind.CollectionNotFound => (StatusCodes.Status404NotFound, "Collection not found", v.PublicMessage),
            VectorStoreErrorKind.ModelMismatch => (StatusCodes.Status409Conflict, "Model mismatch", v.PublicMessage),
            VectorStoreErrorKind.InvalidRequest => (StatusCodes.Status400BadRequest, "Invalid request", v.PublicMessage),
            VectorStoreErrorKind.CollectionExists => (StatusCodes.Status409Conflict, "Collection exists", v.PublicMessage),
            VectorStoreErrorKind.Busy => (StatusCodes.Status503ServiceUnavailable, "Index busy", v.PublicMessage),
            VectorStoreErrorKind.Unavailable => (StatusCodes.Status503ServiceUnavailable, "Index unreachable", v.PublicMessage),
            _ => (StatusCodes.Status500InternalServerError, "Index failure", v.PublicMessage),
        },
        ZeroShotScoringException z => (StatusCodes.Status409Conflict, "No probabilities from this model", z.Message),
        ClipModelException => (StatusCodes.Status500InternalServerError, "Model failure", "The model failed on this request; the error is in the server's log."),
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

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} answered from the index's refusal: {Detail}")]
    private static partial void LogStoreDetail(ILogger logger, string method, PathString path, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure of {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, string method, PathString path, Exception exception);
}
