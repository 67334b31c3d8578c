namespace ClipSearch.WebUi.Client;

/// <summary>The Search API refused a request: its status and the ProblemDetails title and detail it sent.</summary>
public sealed class ApiException(int status, string title, string? detail) : Exception(detail ?? title)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>Whether the API could not be reached at all (connection refused, timeout, bad gateway).</summary>
    public bool Unreachable => Status is 0 or 502 or 503 or 504;

    public static ApiException NotReachable(Uri? api, string why) =>
        new(0, "Search service unreachable", $"The search service at {api} cannot be reached ({why}). Is it running?");
}
