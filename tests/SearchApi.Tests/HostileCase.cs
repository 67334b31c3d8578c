namespace ClipSearch.SearchApi.Tests;

/// <summary>One hostile request and the answer it must get: a 4xx ProblemDetails (any 4xx, or an exact status) or a documented success.</summary>
public sealed record HostileCase(string Method, string Url, string? ContentType = null, byte[]? Body = null, int? Status = null, bool Success = false)
{
    public static HostileCase Json(string method, string url, string json, int? status = null, bool success = false) =>
        new(method, url, "application/json", System.Text.Encoding.UTF8.GetBytes(json), status, success);
}
