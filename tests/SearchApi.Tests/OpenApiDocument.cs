using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClipSearch.SearchApi.Tests;

/// <summary>The API's /openapi/v1.json, read as a client generator would, with the responses each operation documents.</summary>
internal sealed class OpenApiDocument(JsonElement root)
{
    public JsonElement Root { get; } = root;

    public static async Task<OpenApiDocument> ReadAsync(HttpClient client) => new(await Json.GetAsync(client, "/openapi/v1.json"));

    /// <summary>Every operation: method (lower case, as in the document), path template and the operation itself.</summary>
    public IEnumerable<(string Method, string Path, JsonElement Operation)> Operations() =>
        Root.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (o.Name, p.Name, o.Value)));

    /// <summary>The operation a request reaches (its path matched against the templates), or null when no endpoint has that method and path.</summary>
    public JsonElement? OperationOf(string method, string requestPath)
    {
        foreach (var (m, template, operation) in Operations())
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^/]+?}", "[^/]+") + "/?$";
            if (string.Equals(m, method, StringComparison.OrdinalIgnoreCase) && Regex.IsMatch(requestPath, pattern))
            {
                return operation;
            }
        }

        return null;
    }

    /// <summary>The statuses an operation documents, with the media types of each.</summary>
    public static Dictionary<int, List<string>> Responses(JsonElement operation) =>
        operation.GetProperty("responses").EnumerateObject().ToDictionary(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture),
            r => r.Value.TryGetProperty("content", out var content) ? content.EnumerateObject().Select(c => c.Name).ToList() : []);
}
