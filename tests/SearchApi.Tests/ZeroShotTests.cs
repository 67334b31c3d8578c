using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ClipSearch.SearchApi.Tests;

/// <summary>Classification and categorization jobs over HTTP.</summary>
[Collection(ApiTests.Name)]
public sealed class ZeroShotTests(SharedApi api)
{
    private static readonly string[] ShapeLabels = ["red square", "green triangle", "orange circle", "blue star"];
    private static readonly string[] TwoLabels = ["red star", "blue circle"];
    private static readonly string[] Colours = ["red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink"];

    private readonly HttpClient _client = api.Client();
    private readonly IndexedPhotos _photos = api.Photos;

    [Theory]
    [InlineData("green-triangle", "green triangle")]
    [InlineData("orange-circle", "orange circle")]
    public async Task Classify_IndexedImage_GivesItsLabelTheHighestProbability(string className, string expected)
    {
        var answer = await Json.PostAsync(_client, "/api/classify", new
        {
            imageId = _photos.IdOf(_photos.FileOf(className)),
            labels = ShapeLabels,
        });
        Assert.Equal(expected, answer.GetProperty("label").GetString());
        var labels = answer.GetProperty("labels").EnumerateArray().ToList();
        Assert.Equal(expected, labels[0].GetProperty("label").GetString());
        Assert.Equal(1.0, labels.Sum(l => l.GetProperty("probability").GetDouble()), 3);
    }

    [Fact]
    public async Task Classify_UploadedImage_AsMultipart()
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await File.ReadAllBytesAsync(_photos.FileOf("purple-square"))), "file", "x.jpg" },
            { new StringContent("purple, yellow, cyan"), "labels" },
            { new StringContent("a photo of something {}."), "template" },
        };
        var answer = await Json.ReadAsync(await _client.PostAsync("/api/classify", form));
        Assert.Equal("purple", answer.GetProperty("label").GetString());
    }

    [Fact]
    public async Task Classify_MinScoreAboveEveryLabel_AnswersNoneOfThese()
    {
        var answer = await Json.PostAsync(_client, "/api/classify", new
        {
            imageId = _photos.IdOf(_photos.FileOf("red-star")),
            labels = TwoLabels,
            minScore = 0.999f,
        });
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("label").ValueKind);
        Assert.Equal("red star", answer.GetProperty("labels")[0].GetProperty("label").GetString());
    }

    [Fact]
    public async Task Categorize_DryRun_GivesEachColourItsImagesAndExports()
    {
        var job = await RunJobAsync(_client, new { labels = Colours, ensemble = "photo" });
        Assert.Equal("completed", job.GetProperty("state").GetString());
        Assert.Equal(_photos.Files.Count, job.GetProperty("done").GetInt32());
        var distribution = job.GetProperty("distribution").EnumerateArray().ToDictionary(d => d.GetProperty("label").GetString()!, d => d.GetProperty("count").GetInt32());
        foreach (var colour in Colours)
        {
            // 12 images per colour (4 shapes x 3); the tiny model gets colours right on its own domain.
            Assert.InRange(distribution.GetValueOrDefault(colour), 10, 14);
        }

        var id = job.GetProperty("id").GetString();
        var csv = await _client.GetStringAsync($"/api/categorize/{id}/export?format=csv");
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("id,path,label,score,runner_up,runner_up_score", lines[0]);
        Assert.Equal(_photos.Files.Count, lines.Length - 1);
        var redStar = lines.Single(l => l.Contains(Path.GetFileName(_photos.FileOf("red-star")), StringComparison.Ordinal));
        Assert.Equal("red", redStar.Split(',')[2]);

        var json = JsonDocument.Parse(await _client.GetStringAsync($"/api/categorize/{id}/export?format=json")).RootElement;
        Assert.Equal(_photos.Files.Count, json.GetArrayLength());

        var reds = await Json.GetAsync(_client, $"/api/categorize/{id}/images?label=red&k=100");
        Assert.Equal(distribution["red"], reds.GetArrayLength());
        var scores = reds.EnumerateArray().Select(r => r.GetProperty("score").GetSingle()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);

        // A dry run wrote nothing.
        var image = await Json.GetAsync(_client, $"/api/images/{_photos.IdOf(_photos.FileOf("red-star"))}");
        Assert.False(image.GetProperty("labels").TryGetProperty("dry", out _));
    }

    [Fact]
    public async Task Categorize_FilteredSubset_CountsOnlyThoseImages()
    {
        var warm = Path.Combine(_photos.Photos, "warm");
        var job = await RunJobAsync(_client, new { labels = Colours, filter = $"folder:\"{warm}\"" });
        Assert.Equal(_photos.Files.Count(f => f.StartsWith(warm + "/", StringComparison.Ordinal)), job.GetProperty("done").GetInt32());
    }

    internal static async Task<JsonElement> RunJobAsync(HttpClient client, object request, string? apiKey = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/categorize") { Content = JsonContent.Create(request) };
        if (apiKey is not null)
        {
            message.Headers.Add("X-Api-Key", apiKey);
        }

        var started = await client.SendAsync(message);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await Json.ReadAsync(started)).GetProperty("id").GetString();
        for (var i = 0; i < 600; i++)
        {
            var job = await Json.GetAsync(client, $"/api/categorize/{id}");
            if (job.GetProperty("state").GetString() != "running")
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the categorization job did not finish in 60 s");
    }
}
