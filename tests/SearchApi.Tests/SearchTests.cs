using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace ClipSearch.SearchApi.Tests;

/// <summary>Search over HTTP against the real embedded index filled by the real indexer with the bundled model.</summary>
[Collection(ApiTests.Name)]
public sealed class SearchTests(SharedApi api)
{
    private readonly HttpClient _client = api.Client();
    private readonly IndexedPhotos photos = api.Photos;

    [Fact]
    public async Task ListCollections_IndexedFolder_IsListedAndSearchable()
    {
        var list = await Json.GetAsync(_client, "/api/collections");
        var photosCollection = list.EnumerateArray().Single(c => c.GetProperty("name").GetString() == IndexedPhotos.Collection);
        Assert.Equal(photos.Files.Count, photosCollection.GetProperty("count").GetInt32());
        Assert.Equal(96, photosCollection.GetProperty("dimension").GetInt32());
        Assert.Equal("embedded", photosCollection.GetProperty("backend").GetString());
        Assert.True(photosCollection.GetProperty("searchable").GetBoolean());
    }

    [Theory]
    [InlineData("red-star")]
    [InlineData("blue-circle")]
    [InlineData("yellow-triangle")]
    public async Task Search_Text_ReturnsThatClassFirst(string className)
    {
        var answer = await Json.PostAsync(_client, "/api/search", new { text = $"a photo of a {className.Replace('-', ' ')}.", k = 3 });
        Assert.Equal([className, className, className], Json.HitClasses(answer));
        Assert.True(answer.GetProperty("took").GetDouble() > 0);
        // By meaning alone the hits come in cosine order (a hybrid search's order is the fused rank).
        var semantic = await Json.PostAsync(_client, "/api/search", new { text = $"a photo of a {className.Replace('-', ' ')}.", k = 3, mode = "semantic" });
        Assert.Equal([className, className, className], Json.HitClasses(semantic));
        var scores = semantic.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("score").GetSingle()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    [Fact]
    public async Task Search_DefaultsOmitted_AreTheDocumentedOnes()
    {
        var answer = await Json.PostAsync(_client, "/api/search", new { positive = new[] { new { text = "a photo of a red star." } } });
        Assert.Equal(20, answer.GetProperty("hits").GetArrayLength()); // k defaults to 20, weight to 1
        Assert.Equal("red-star", Json.HitClasses(answer)[0]);
    }

    [Fact]
    public async Task SearchGet_QueryParameter_GivesTheSameHitsAsPost()
    {
        var post = await Json.PostAsync(_client, "/api/search", new { text = "a photo of a green square.", k = 5 });
        var get = await Json.GetAsync(_client, "/api/search?q=a+photo+of+a+green+square.&k=5");
        Assert.Equal(Json.HitNames(post), Json.HitNames(get));
        Assert.Equal("green-square", Json.HitClasses(get)[0]);
    }

    [Fact]
    public async Task SearchImage_UploadOfAnIndexedImage_FindsItselfFirstWithScoreOne()
    {
        var file = photos.FileOf("purple-star");
        using var form = new MultipartFormDataContent();
        var bytes = new ByteArrayContent(await File.ReadAllBytesAsync(file));
        bytes.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(bytes, "file", Path.GetFileName(file));
        form.Add(new StringContent("5"), "k");
        var answer = await Json.ReadAsync(await _client.PostAsync("/api/search/image", form));
        var first = answer.GetProperty("hits")[0];
        Assert.Equal(Path.GetFileName(file), Path.GetFileName(first.GetProperty("path").GetString()));
        Assert.Equal(photos.IdOf(file), first.GetProperty("id").GetGuid());
        Assert.InRange(first.GetProperty("score").GetSingle(), 0.999f, 1.001f);
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("uploadId").GetString()));
    }

    [Fact]
    public async Task Search_UploadIdInACombinedQuery_UsesTheUploadedImage()
    {
        var file = photos.FileOf("orange-square");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(file)), "file", "q.jpg" } };
        var upload = await Json.ReadAsync(await _client.PostAsync("/api/search/image", form));
        var uploadId = upload.GetProperty("uploadId").GetString();

        var answer = await Json.PostAsync(_client, "/api/search", new { positive = new[] { new { uploadId, weight = 1f } }, k = 1 });
        Assert.Equal(photos.IdOf(file), answer.GetProperty("hits")[0].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Search_ImageIdAlone_LeavesThatImageOutAsSimilarDoes()
    {
        // "More like this" in any form (imageId, or one positive image term, with or without negatives) leaves the image itself out.
        var file = photos.FileOf("cyan-triangle");
        var id = photos.IdOf(file);
        var similar = Json.HitNames(await Json.GetAsync(_client, $"/api/images/{id}/similar?k=5"));
        foreach (object request in new object[]
        {
            new { imageId = id, k = 5 },
            new { positive = new[] { new { imageId = id.ToString() } }, k = 5 },
            new { positive = new[] { new { imageId = id.ToString() } }, negative = new[] { new { text = "a photo of a red star." } }, k = 5 },
        })
        {
            var names = Json.HitNames(await Json.PostAsync(_client, "/api/search", request));
            Assert.Equal(5, names.Count);
            Assert.DoesNotContain(Path.GetFileName(file), names);
        }

        Assert.Equal(similar, Json.HitNames(await Json.PostAsync(_client, "/api/search", new { imageId = id, k = 5 })));
        Assert.Equal(similar, Json.HitNames(await Json.PostAsync(_client, "/api/search", new { positive = new[] { new { imageId = id.ToString() } }, k = 5 })));

        // Mixed with text, the image is one part of the query and may be found.
        var mixed = await Json.PostAsync(_client, "/api/search", new { text = "a photo of a cyan triangle.", positive = new[] { new { imageId = id.ToString() } }, k = 3 });
        Assert.Contains(Path.GetFileName(file), Json.HitNames(mixed));
    }

    [Fact]
    public async Task Search_TwoImagesCombined_ScoresBothAsTheNormalisedSumPredicts()
    {
        // For unit vectors a, b with cosine c, the query (a + b) / |a + b| has cosine sqrt((1 + c) / 2) with each.
        var a = photos.IdOf(photos.FileOf("red-star"));
        var b = photos.IdOf(photos.FileOf("blue-circle"));
        var fromA = await Json.PostAsync(_client, "/api/search", new { imageId = a, k = 200 });
        var c = ScoreOf(fromA, b);

        var both = await Json.PostAsync(_client, "/api/search", new { positive = new[] { new { imageId = a.ToString() }, new { imageId = b.ToString() } }, k = 200 });
        var expected = MathF.Sqrt((1 + c) / 2);
        Assert.Equal(expected, ScoreOf(both, a), 3);
        Assert.Equal(expected, ScoreOf(both, b), 3);
    }

    private static float ScoreOf(System.Text.Json.JsonElement answer, Guid id) =>
        answer.GetProperty("hits").EnumerateArray().Single(h => h.GetProperty("id").GetGuid() == id).GetProperty("score").GetSingle();

    [Fact]
    public async Task Search_WeightOfAPositiveTerm_PullsResultsTowardsIt()
    {
        async Task<int> BlueShare(float blueWeight)
        {
            var answer = await Json.PostAsync(_client, "/api/search", new
            {
                positive = new[] { new { text = "a photo of a red star.", weight = 1f }, new { text = "a photo of a blue star.", weight = blueWeight } },
                k = 6,
            });
            return Json.HitClasses(answer).Count(c => c == "blue-star");
        }

        Assert.True(await BlueShare(3f) > await BlueShare(0.2f));
    }

    [Fact]
    public async Task Search_NegativeTerm_MovesResultsAwayFromIt()
    {
        var plain = await Json.PostAsync(_client, "/api/search", new { text = "a photo of a star.", k = 12 });
        var minusRed = await Json.PostAsync(_client, "/api/search", new
        {
            text = "a photo of a star.",
            negative = new[] { new { text = "a photo of a red star.", weight = 1f } },
            k = 12,
        });
        Assert.Contains("red-star", Json.HitClasses(plain));
        Assert.DoesNotContain("red-star", Json.HitClasses(minusRed));
    }

    [Fact]
    public async Task Search_FolderFilter_ReturnsOnlyImagesInThatFolder()
    {
        var warm = Path.Combine(photos.Photos, "warm");
        var answer = await Json.PostAsync(_client, "/api/search", new { text = "a photo of a blue star.", filter = $"folder:\"{warm}\"", k = 20 });
        var hits = answer.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(20, hits.Count); // exactly k: the filter does not shorten the list
        Assert.All(hits, h => Assert.StartsWith("warm/", h.GetProperty("path").GetString()));
    }

    [Fact]
    public async Task Search_FormatFilterAndMinScore_RestrictResults()
    {
        var pngs = await Json.PostAsync(_client, "/api/search", new { text = "a photo of a shape.", filter = "format:png", k = 50 });
        var expected = photos.Files.Count(f => f.EndsWith(".png", StringComparison.Ordinal));
        Assert.Equal(expected, pngs.GetProperty("hits").GetArrayLength());
        Assert.All(pngs.GetProperty("hits").EnumerateArray(), h => Assert.Equal("png", h.GetProperty("format").GetString()));

        var all = await Json.PostAsync(_client, "/api/search", new { text = "a photo of a red star.", k = 100, mode = "semantic" });
        var cut = all.GetProperty("hits")[9].GetProperty("score").GetSingle();
        var high = await Json.PostAsync(_client, "/api/search", new { text = "a photo of a red star.", k = 100, minScore = cut });
        Assert.All(high.GetProperty("hits").EnumerateArray(), h => Assert.True(h.GetProperty("score").GetSingle() >= cut));
        Assert.InRange(high.GetProperty("hits").GetArrayLength(), 10, 11);
    }

    [Fact]
    public async Task Search_Offset_PagesThroughTheSameRanking()
    {
        var first = await Json.PostAsync(_client, "/api/search", new { text = "a photo of a pink circle.", k = 10 });
        var second = await Json.PostAsync(_client, "/api/search", new { text = "a photo of a pink circle.", k = 5, offset = 5 });
        Assert.Equal(Json.HitNames(first).Skip(5), Json.HitNames(second));
    }

    [Fact]
    public async Task Similar_IndexedImage_LeavesItselfOutAndFindsItsClass()
    {
        var file = photos.FileOf("green-circle");
        var answer = await Json.GetAsync(_client, $"/api/images/{photos.IdOf(file)}/similar?k=2");
        Assert.DoesNotContain(Path.GetFileName(file), Json.HitNames(answer));
        Assert.Equal(["green-circle", "green-circle"], Json.HitClasses(answer));
    }

    [Fact]
    public async Task GetImage_Id_ReturnsMetadata()
    {
        var file = photos.FileOf("red-square");
        var image = await Json.GetAsync(_client, $"/api/images/{photos.IdOf(file)}");
        Assert.Equal("warm/" + Path.GetFileName(file), image.GetProperty("path").GetString());
        Assert.True(image.GetProperty("width").GetInt32() > 0);
        Assert.Equal(JsonValueKindNull, image.GetProperty("score").ValueKind);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task Thumbnail_Image_IsResizedCachedAndRevalidated()
    {
        var id = photos.IdOf(photos.FileOf("yellow-star"));
        var response = await _client.GetAsync($"/api/images/{id}/thumbnail?size=50");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var image = SixLabors.ImageSharp.Image.Load(await response.Content.ReadAsByteArrayAsync());
        Assert.True(Math.Max(image.Width, image.Height) <= 64);
        Assert.NotNull(response.Headers.ETag);
        Assert.Contains("max-age", response.Headers.CacheControl!.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/images/{id}/thumbnail?size=50");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task File_Image_ServesTheOriginalBytes()
    {
        var file = photos.FileOf("pink-triangle");
        var response = await _client.GetAsync($"/api/images/{photos.IdOf(file)}/file");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(file), await response.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("image/", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Health_LiveAndReady_AreHealthy()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);
        var ready = await _client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterASearch_ExposeEncodeAndIndexLatencyInPrometheusFormat()
    {
        await Json.PostAsync(_client, "/api/search", new { text = "a photo of a metric.", k = 1 });
        var text = await _client.GetStringAsync("/metrics");
        Assert.Contains("clipsearch_encode_duration_seconds_bucket", text);
        Assert.Contains("clipsearch_index_duration_seconds_bucket", text);
        Assert.Contains("http_server_request_duration_seconds", text);
    }

    [Fact]
    public async Task Search_JsonBody_IsReadCaseInsensitively()
    {
        var response = await _client.PostAsJsonAsync("/api/search", new Dictionary<string, object> { ["Text"] = "a photo of a red circle.", ["K"] = 1 });
        Assert.Equal("red-circle", Json.HitClasses(await Json.ReadAsync(response))[0]);
    }
}
