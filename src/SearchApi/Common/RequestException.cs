namespace ClipSearch.SearchApi.Common;

/// <summary>A request the API refuses, with the status and the message the client gets as ProblemDetails.</summary>
internal sealed class RequestException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public static RequestException Invalid(string detail) => new(StatusCodes.Status400BadRequest, "Invalid request", detail);

    public static RequestException NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);

    /// <summary>A piece of client input quoted in a message, shortened so that a 10 MB value does not come back.</summary>
    public static string Quote(string? value) => value is null ? "null" : value.Length <= 80 ? $"'{value}'" : $"'{value[..77]}...' ({value.Length:N0} characters)";
}
