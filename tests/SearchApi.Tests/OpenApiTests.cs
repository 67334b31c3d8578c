namespace ClipSearch.SearchApi.Tests;

/// <summary>
/// The OpenAPI document describes every endpoint, with its name, summary, tag and success, and the problems it answers with
/// (application/problem+json), so that generated clients know the API's errors as well as its answers.
/// </summary>
[Collection(ApiTests.Name)]
public sealed class OpenApiTests(SharedApi api)
{
    private readonly HttpClient _client = api.Client();

    [Fact]
    public async Task Document_EveryEndpoint_IsDescribedWithNameSummaryAndTag()
    {
        var document = await OpenApiDocument.ReadAsync(_client);
        var operations = document.Operations().ToList();
        foreach (var (method, path) in new[]
        {
            ("get", "/api/collections"), ("post", "/api/search"), ("get", "/api/search"), ("post", "/api/search/image"), ("get", "/api/images/{id}"),
            ("get", "/api/images/{id}/similar"), ("get", "/api/images/{id}/thumbnail"), ("get", "/api/images/{id}/file"), ("post", "/api/classify"),
            ("post", "/api/categorize"), ("get", "/api/categorize/{job}"), ("get", "/api/categorize/{job}/images"), ("get", "/api/categorize/{job}/export"),
            ("delete", "/api/categorize/{job}"), ("get", "/api/prompts"), ("get", "/api/model"), ("get", "/api/images"), ("get", "/api/collections/{name}/labels"),
        })
        {
            Assert.Contains(operations, o => o.Method == method && o.Path == path);
        }

        foreach (var (method, path, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("operationId", out _), $"{method} {path} has no name");
            Assert.True(operation.TryGetProperty("summary", out _), $"{method} {path} has no summary");
            Assert.True(operation.TryGetProperty("tags", out var tags) && tags.GetArrayLength() > 0, $"{method} {path} has no tag");
            Assert.True(OpenApiDocument.Responses(operation).Keys.Any(s => s is >= 200 and < 300), $"{method} {path} documents no success");
        }
    }

    [Theory]
    [InlineData("post", "/api/search", new[] { 400, 404, 409, 413, 415, 429, 503 })]
    [InlineData("get", "/api/search", new[] { 400, 404, 409, 429, 503 })]
    [InlineData("get", "/api/images", new[] { 400, 404, 409, 429, 503 })]
    [InlineData("post", "/api/search/image", new[] { 400, 404, 409, 413, 415, 422, 429, 503 })]
    [InlineData("get", "/api/images/{id}", new[] { 400, 404, 409, 503 })]
    [InlineData("get", "/api/images/{id}/similar", new[] { 400, 404, 409, 429, 503 })]
    [InlineData("get", "/api/images/{id}/thumbnail", new[] { 400, 404, 409, 422, 429, 503 })]
    [InlineData("get", "/api/images/{id}/file", new[] { 400, 404, 409, 503 })]
    [InlineData("get", "/api/collections", new[] { 503 })]
    [InlineData("post", "/api/classify", new[] { 400, 404, 409, 413, 415, 422, 429, 503 })]
    [InlineData("post", "/api/categorize", new[] { 400, 401, 404, 409, 413, 415, 429, 503 })]
    [InlineData("get", "/api/categorize/{job}", new[] { 404 })]
    [InlineData("get", "/api/categorize/{job}/images", new[] { 400, 404 })]
    [InlineData("get", "/api/categorize/{job}/export", new[] { 400, 404, 409 })]
    [InlineData("delete", "/api/categorize/{job}", new[] { 401, 404 })]
    public async Task Document_Endpoint_ListsItsProblems(string method, string path, int[] statuses)
    {
        var document = await OpenApiDocument.ReadAsync(_client);
        var operation = document.Operations().Single(o => o.Method == method && o.Path == path).Operation;
        var responses = OpenApiDocument.Responses(operation);
        Assert.Equal(statuses, responses.Keys.Where(s => s >= 400).Order());
        Assert.All(statuses, s => Assert.Equal(["application/problem+json"], responses[s]));
    }

    [Fact]
    public async Task OperationOf_RequestPath_IsTheOperationOfItsTemplate()
    {
        var document = await OpenApiDocument.ReadAsync(_client);
        Assert.Equal("ImageThumbnail", document.OperationOf("GET", "/api/images/abc/thumbnail")?.GetProperty("operationId").GetString());
        Assert.Equal("SearchByImage", document.OperationOf("POST", "/api/search/image")?.GetProperty("operationId").GetString());
        Assert.Equal("Search", document.OperationOf("POST", "/api/search")?.GetProperty("operationId").GetString());
        Assert.Null(document.OperationOf("GET", "/api/search/image"));
        Assert.Null(document.OperationOf("GET", "/api/images/a/b/thumbnail"));
    }

    [Fact]
    public async Task Document_EveryErrorResponse_IsAProblemDetails()
    {
        var document = await OpenApiDocument.ReadAsync(_client);
        foreach (var (method, path, operation) in document.Operations())
        {
            foreach (var (status, media) in OpenApiDocument.Responses(operation).Where(r => r.Key >= 400))
            {
                Assert.True(media is ["application/problem+json"], $"{method} {path} {status}: {string.Join(", ", media)}");
                var schema = operation.GetProperty("responses").GetProperty($"{status}").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
                Assert.EndsWith("/ProblemDetails", schema.GetProperty("$ref").GetString(), StringComparison.Ordinal);
            }
        }
    }
}
