namespace ClipSearch.SearchApi.Tests;

/// <summary>
/// Cut-off, order, diversity and keyword + semantic search over HTTP, on the held-out shapes (three per class) plus a
/// "trips" collection whose folder names the model knows nothing about.
/// </summary>
public sealed class SearchFeaturesApiTests : IDisposable
{
    private readonly IndexedPhotos _photos = new();

    [Fact]
    public async Task Cutoff_Auto_ShowsTheClassAndCountsTheRestAsWeaker_PagedWithoutOverlap()
    {
        using var factory = new ApiFactory(_photos);
        var client = factory.CreateClient();

        var answer = await Json.PostAsync(client, "/api/search", new { text = "a photo of a red star.", k = 2, cutoff = "auto", mode = "semantic" });
        var matches = answer.GetProperty("matches").GetInt32();
        Assert.Equal(3, matches); // the three red stars
        Assert.Equal(_photos.Files.Count - 3, answer.GetProperty("weaker").GetInt64());
        Assert.Equal("jump", answer.GetProperty("cutoffMethod").GetString());
        var next = await Json.PostAsync(client, "/api/search", new { text = "a photo of a red star.", k = 2, offset = 2, cutoff = "auto", mode = "semantic" });
        Assert.Equal(["red-star", "red-star", "red-star"], Json.HitClasses(answer).Concat(Json.HitClasses(next)));
        Assert.Empty(Json.HitNames(answer).Intersect(Json.HitNames(next)));

        // Each method by name; without a cut nothing is counted as weaker.
        foreach (var method in new[] { "jump", "relative", "calibrated" })
        {
            var cut = await Json.GetAsync(client, $"/api/search?q={Uri.EscapeDataString("a photo of a red star.")}&k=50&cutoff={method}&mode=semantic");
            Assert.Equal(method, cut.GetProperty("cutoffMethod").GetString());
            Assert.Equal(cut.GetProperty("matches").GetInt32(), cut.GetProperty("hits").GetArrayLength());
            Assert.Equal(_photos.Files.Count, cut.GetProperty("matches").GetInt32() + cut.GetProperty("weaker").GetInt64());
            Assert.Equal("red-star", Json.HitClasses(cut)[0]);
        }

        var none = await Json.PostAsync(client, "/api/search", new { text = "a photo of a red star.", k = 5, mode = "semantic" });
        Assert.Equal((System.Text.Json.JsonValueKind.Null, 0L), (none.GetProperty("matches").ValueKind, none.GetProperty("weaker").GetInt64()));
    }

    [Fact]
    public async Task Sort_ByName_OrdersTheMatches_AndBadWordsAreRefusedInWords()
    {
        using var factory = new ApiFactory(_photos);
        var client = factory.CreateClient();

        var byName = await Json.PostAsync(client, "/api/search", new { text = "a photo of a star.", k = 100, cutoff = "relative", sort = "name", mode = "semantic" });
        var paths = byName.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("path").GetString()!).ToList();
        Assert.True(paths.Count > 1);
        Assert.Equal(paths.Order(StringComparer.Ordinal), paths);
        var byScore = await Json.PostAsync(client, "/api/search", new { text = "a photo of a star.", k = 100, cutoff = "relative", mode = "semantic" });
        Assert.Equal(paths.Order(StringComparer.Ordinal), byScore.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("path").GetString()!).Order(StringComparer.Ordinal));

        foreach (var (field, value, expected) in new[] { ("cutoff", "best", "none, auto, jump"), ("sort", "size", "score, taken"), ("mode", "fuzzy", "hybrid, semantic") })
        {
            var refused = await client.GetAsync($"/api/search?q=star&{field}={value}");
            await HostileRequestTests.AssertAnswerAsync(refused, 400, false);
            Assert.Contains(expected, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var diversity = await client.GetAsync("/api/search?q=star&diversity=1.5");
        await HostileRequestTests.AssertAnswerAsync(diversity, 400, false);
    }

    [Fact]
    public async Task Hybrid_AFolderNameTheModelDoesNotKnow_FoundByItsWords()
    {
        // Two photos under a folder named for a trip, among the shapes: "beach" means nothing to the shapes model.
        var trips = Path.Combine(_photos.Root, "trips");
        var beach = Path.Combine(trips, "Trips", "Beach 2019");
        Directory.CreateDirectory(beach);
        File.Copy(_photos.FileOf("green-square"), Path.Combine(beach, "IMG_0042.jpg"));
        File.Copy(_photos.FileOf("purple-circle"), Path.Combine(beach, "IMG_0043.jpg"));
        foreach (var file in _photos.Files.Take(40))
        {
            var target = Path.Combine(trips, "Other", Path.GetFileName(file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        await IndexedPhotos.IndexFolderAsync(trips, _photos.Store, "trips");
        using var factory = new ApiFactory(_photos);
        var client = factory.CreateClient();

        var hybrid = await Json.PostAsync(client, "/api/search", new { collection = "trips", text = "beach", k = 5, cutoff = "auto" });
        var found = hybrid.GetProperty("hits").EnumerateArray().Where(h => h.GetProperty("path").GetString()!.StartsWith("Trips/Beach 2019/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, found.Count);
        Assert.All(found, h => Assert.True(h.GetProperty("matchedBy").GetString() is "words" or "both"));
        // Fused with equal weight, the i-th keyword match lands no lower than 2i: both are among the first four.
        Assert.Equal(2, hybrid.GetProperty("hits").EnumerateArray().Take(4)
            .Count(h => h.GetProperty("path").GetString()!.StartsWith("Trips/Beach 2019/", StringComparison.Ordinal)));

        // Quoted words match whole words only; by words alone, only the two; by meaning alone, the model has no idea.
        var quoted = await Json.PostAsync(client, "/api/search", new { collection = "trips", text = "\"beac\"", k = 5, mode = "keyword" });
        Assert.Equal(0, quoted.GetProperty("hits").GetArrayLength());
        var keyword = await Json.PostAsync(client, "/api/search", new { collection = "trips", text = "beach", k = 50, mode = "keyword" });
        Assert.Equal(2, keyword.GetProperty("hits").GetArrayLength());
        Assert.Equal(40, keyword.GetProperty("weaker").GetInt64());
        var semantic = await Json.PostAsync(client, "/api/search", new { collection = "trips", text = "beach", k = 42, mode = "semantic" });
        Assert.All(semantic.GetProperty("hits").EnumerateArray(), h => Assert.Equal(System.Text.Json.JsonValueKind.Null, h.GetProperty("matchedBy").ValueKind));
    }

    public void Dispose() => _photos.Dispose();
}
