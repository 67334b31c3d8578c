using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ClipSearch.SearchApi.Tests;

/// <summary>What writes to the index or limits clients: each test gets its own indexed folder and API, since they change state.</summary>
public sealed class WriteTests : IDisposable
{
    private const string Key = "s3cret-key";
    private static readonly string[] TwoLabels = ["a", "b"];
    private readonly IndexedPhotos _photos = new();

    [Fact]
    public async Task Categorize_Apply_NeedsTheApiKeyAndWritesLabels()
    {
        using var factory = new ApiFactory(_photos, new Dictionary<string, string?> { ["ClipSearch:ApiKey"] = Key });
        var client = factory.CreateClient();
        var request = new { labels = new[] { "red", "green", "blue", "yellow" }, labelSet = "colour", apply = true };

        var refused = await client.PostAsJsonAsync("/api/categorize", request);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        using (var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/categorize") { Content = JsonContent.Create(request) })
        {
            wrong.Headers.Add("X-Api-Key", "guess");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);
        }

        // A dry run needs no key.
        var dry = await ZeroShotTests.RunJobAsync(client, request with { apply = false });
        Assert.Equal("completed", dry.GetProperty("state").GetString());
        Assert.False(dry.GetProperty("applied").GetBoolean());

        var job = await ZeroShotTests.RunJobAsync(client, request, Key);
        Assert.Equal("completed", job.GetProperty("state").GetString());
        Assert.True(job.GetProperty("applied").GetBoolean());

        var image = await Json.GetAsync(client, $"/api/images/{_photos.IdOf(_photos.FileOf("green-star"))}");
        var label = image.GetProperty("labels").GetProperty("colour");
        Assert.Equal("green", label.GetProperty("label").GetString());
        Assert.Equal(job.GetProperty("runId").GetString(), label.GetProperty("runId").GetString());

        // Labels written are filterable at once.
        var greens = await Json.PostAsync(client, "/api/search", new { text = "a photo of a shape.", filter = "label:colour=green", k = 100 });
        Assert.All(greens.GetProperty("hits").EnumerateArray(), h => Assert.Equal("green", h.GetProperty("labels").GetProperty("colour").GetProperty("label").GetString()));
        Assert.True(greens.GetProperty("hits").GetArrayLength() >= 10);
    }

    [Fact]
    public async Task RateLimit_ClientOverItsBudget_Gets429ProblemWithRetryAfter()
    {
        using var factory = new ApiFactory(_photos, new Dictionary<string, string?> { ["ClipSearch:RequestsPerMinute"] = "3" });
        var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 5; i++)
        {
            var response = await client.GetAsync("/api/search?q=red");
            statuses.Add(response.StatusCode);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : limited;
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("application/problem+json", limited!.Content.Headers.ContentType!.MediaType);
        Assert.True(limited.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode); // health is never limited
    }

    [Fact]
    public async Task File_SwappedForASymlinkOutsideTheRoot_IsNotServed()
    {
        using var factory = new ApiFactory(_photos);
        var client = factory.CreateClient();
        var file = _photos.FileOf("cyan-star");
        var id = _photos.IdOf(file);
        var outside = Path.Combine(_photos.Root, "secret.txt");
        await File.WriteAllTextAsync(outside, "not for clients");
        File.Delete(file);
        File.CreateSymbolicLink(file, outside);

        foreach (var url in (string[])[$"/api/images/{id}/file", $"/api/images/{id}/thumbnail?size=64"])
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("not for clients", await response.Content.ReadAsStringAsync());
        }

        // A link that stays inside the root is followed.
        var sibling = _photos.FileOf("cyan-circle");
        File.Delete(file);
        File.CreateSymbolicLink(file, sibling);
        var served = await client.GetAsync($"/api/images/{id}/file");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(sibling), await served.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Search_CollectionOfAnotherModel_Is409ModelMismatch()
    {
        using (var store = new Storage.Embedded.EmbeddedVectorStore(new Storage.Embedded.EmbeddedStoreOptions { Path = _photos.Store }))
        {
            await store.CreateCollectionAsync("other", "openai/clip-vit-base-patch32", 512);
        }

        using var factory = new ApiFactory(_photos);
        var client = factory.CreateClient();
        var response = await client.GetAsync("/api/search?collection=other&q=cat");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("openai/clip-vit-base-patch32", problem.GetProperty("detail").GetString());
        var list = await Json.GetAsync(client, "/api/collections");
        Assert.False(list.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "other").GetProperty("searchable").GetBoolean());
    }

    [Fact]
    public async Task Categorize_CancelledJob_EndsCancelled()
    {
        using var factory = new ApiFactory(_photos);
        var client = factory.CreateClient();
        var started = await Json.ReadAsync(await client.PostAsJsonAsync("/api/categorize", new { labels = TwoLabels }));
        var id = started.GetProperty("id").GetString();
        var cancel = await client.DeleteAsync($"/api/categorize/{id}");
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        // 202: the job stops at its next batch boundary, soon but not within the DELETE.
        var state = "running";
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); state == "running" && clock.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(50))
        {
            state = (await Json.GetAsync(client, $"/api/categorize/{id}")).GetProperty("state").GetString();
        }

        Assert.True(state is "cancelled" or "completed", state); // 96 images may be done before the cancel arrives
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/categorize/0123")).StatusCode);
    }

    [Fact]
    public async Task Qdrant_Unreachable_Is503WithRetryAfterAndNotReady()
    {
        // Nothing listens on the discard port: every index call fails as Qdrant down would.
        using var factory = new ApiFactory(_photos, new Dictionary<string, string?>
        {
            ["ClipSearch:Index:Qdrant:Url"] = "http://127.0.0.1:9",
            ["ClipSearch:Index:Qdrant:Timeout"] = "00:00:02",
            ["ClipSearch:Index:Qdrant:MaxAttempts"] = "1",
        });
        var client = factory.CreateClient();
        foreach (var url in (string[])["/api/collections", "/api/search?q=red"])
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    public void Dispose() => _photos.Dispose();
}
