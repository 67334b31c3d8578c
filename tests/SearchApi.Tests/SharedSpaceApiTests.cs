using ClipSearch.Tests.Shared;

namespace ClipSearch.SearchApi.Tests;

/// <summary>
/// The API serving models/tiny-clip-multilingual (a text tower alone) over a collection indexed with models/tiny-clip:
/// text queries in any trained language find the shapes, "more like this" works from stored embeddings, and an image
/// upload is refused in words (there is no image tower), never a 500.
/// </summary>
public sealed class SharedSpaceApiTests : IDisposable
{
    private readonly IndexedPhotos _photos = new();

    [Theory]
    [InlineData("une étoile jaune", "yellow-star")]
    [InlineData("жёлтая звезда", "yellow-star")]
    [InlineData("黄色的星星", "yellow-star")]
    [InlineData("ein blauer Kreis", "blue-circle")]
    public async Task Search_QueryInAnotherLanguage_FindsTheShapes(string query, string expected)
    {
        using var factory = Multilingual();
        var answer = await Json.ReadAsync(await factory.CreateClient().GetAsync($"/api/search?q={Uri.EscapeDataString(query)}&k=3"));

        Assert.Equal([expected, expected, expected], Json.HitClasses(answer));
    }

    [Fact]
    public async Task Similar_AndImageUpload_WithATextTowerAlone()
    {
        using var factory = Multilingual();
        var client = factory.CreateClient();
        var file = _photos.FileOf("green-triangle");

        var similar = await Json.ReadAsync(await client.GetAsync($"/api/images/{_photos.IdOf(file)}/similar?k=2"));
        Assert.Equal(["green-triangle", "green-triangle"], Json.HitClasses(similar));

        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(file)), "file", "q.jpg" } };
        var upload = await client.PostAsync("/api/search/image", form);
        await HostileRequestTests.AssertAnswerAsync(upload, 422, false);
        Assert.Contains("text tower alone", await upload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_SaysFamilyScoringLanguagesAndImageTower()
    {
        using var clip = new ApiFactory(_photos);
        var bundled = await Json.GetAsync(clip.CreateClient(), "/api/model");
        Assert.Equal("CLIP", bundled.GetProperty("family").GetString());
        Assert.Equal("softmax", bundled.GetProperty("scoring").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, bundled.GetProperty("defaultMinProbability").ValueKind);
        Assert.True(bundled.GetProperty("hasImageTower").GetBoolean());

        using var multilingual = Multilingual();
        var tower = await Json.GetAsync(multilingual.CreateClient(), "/api/model");
        Assert.Equal("clipsearch/tiny-clip-multilingual", tower.GetProperty("modelId").GetString());
        Assert.False(tower.GetProperty("hasImageTower").GetBoolean());
        Assert.Equal(["en", "fr", "de", "es", "ru", "zh"], tower.GetProperty("languages").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("clipsearch/tiny-clip-shapes", tower.GetProperty("sharedSpaces").EnumerateArray().Select(e => e.GetString()));
    }

    private ApiFactory Multilingual() => new(_photos, new Dictionary<string, string?> { ["ClipSearch:Model"] = TestPaths.TinyClipMultilingual });

    public void Dispose() => _photos.Dispose();
}
