using System.Net;
using System.Text.Json;

namespace ClipSearch.SearchApi.Tests;

/// <summary><c>GET /api/images</c> over HTTP: the collection without a query, in each order, paged and filtered.</summary>
[Collection(ApiTests.Name)]
public sealed class BrowseTests(SharedApi api)
{
    private readonly HttpClient _client = api.Client();
    private readonly IndexedPhotos _photos = api.Photos;

    private static List<JsonElement> Hits(JsonElement answer) => [.. answer.GetProperty("hits").EnumerateArray()];

    private static DateTimeOffset Modified(JsonElement hit) => hit.GetProperty("modifiedAt").GetDateTimeOffset();

    [Fact]
    public async Task Browse_Default_EveryImageNewestFirstWithoutScores()
    {
        // None of the test images has a date taken: the default order (taken) falls back to the modification time.
        var hits = Hits(await Json.GetAsync(_client, $"/api/images?collection={IndexedPhotos.Collection}&k=1000"));
        Assert.Equal(_photos.Files.Count, hits.Count);
        Assert.All(hits, h => Assert.Equal(JsonValueKind.Null, h.GetProperty("score").ValueKind));
        for (var i = 1; i < hits.Count; i++)
        {
            var (before, after) = (hits[i - 1], hits[i]);
            Assert.True(Modified(before) > Modified(after) || (Modified(before) == Modified(after) && before.GetProperty("id").GetGuid().CompareTo(after.GetProperty("id").GetGuid()) < 0),
                $"{before.GetProperty("path")} before {after.GetProperty("path")}");
        }

        var modified = Hits(await Json.GetAsync(_client, $"/api/images?collection={IndexedPhotos.Collection}&k=1000&sort=modified"));
        Assert.Equal(hits.Select(h => h.GetProperty("id").GetGuid()), modified.Select(h => h.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Browse_ByNamePaged_PagesJoinIntoTheWholeOrder()
    {
        var whole = Json.HitNames(await Json.GetAsync(_client, "/api/images?sort=name&k=30"));
        var paths = Hits(await Json.GetAsync(_client, "/api/images?sort=name&k=30")).Select(h => h.GetProperty("path").GetString()!).ToList();
        Assert.Equal(paths.Order(StringComparer.Ordinal), paths);
        var pages = new List<string>();
        for (var offset = 0; offset < 30; offset += 7)
        {
            pages.AddRange(Json.HitNames(await Json.GetAsync(_client, $"/api/images?sort=name&offset={offset}&k={Math.Min(7, 30 - offset)}")));
        }

        Assert.Equal(whole, pages);
    }

    [Fact]
    public async Task Browse_Filter_ListsOnlyMatchingImages()
    {
        var warm = Path.Combine(_photos.Photos, "warm").Replace('\\', '/');
        var hits = Hits(await Json.GetAsync(_client, $"/api/images?filter={Uri.EscapeDataString($"folder:{warm} and format:png")}&k=1000"));
        var expected = _photos.Files.Count(f => f.Contains("/warm/", StringComparison.Ordinal) && f.EndsWith(".png", StringComparison.Ordinal));
        Assert.Equal(expected, hits.Count);
        Assert.True(expected > 0);
        Assert.All(hits, h => Assert.StartsWith("warm/", h.GetProperty("path").GetString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sort=newest")]
    [InlineData("k=0")]
    [InlineData("offset=-1")]
    [InlineData("filter=width%3E%3Dlots")]
    public async Task Browse_BadParameter_IsAProblemSayingWhy(string query)
    {
        using var response = await _client.GetAsync($"/api/images?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
