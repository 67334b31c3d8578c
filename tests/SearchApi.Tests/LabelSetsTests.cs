using System.Net;

namespace ClipSearch.SearchApi.Tests;

/// <summary><c>GET /api/collections/{name}/labels</c>: the label sets written into a collection, counted from its stored labels (own folder and API: it writes labels).</summary>
public sealed class LabelSetsTests : IDisposable
{
    private static readonly string[] Colours = ["red", "green", "blue", "yellow"];
    private readonly IndexedPhotos _photos = new();

    [Fact]
    public async Task Labels_AfterApplyingACategorization_ListTheSetWithItsLabelsAndCounts()
    {
        using var factory = new ApiFactory(_photos);
        var client = factory.CreateClient();
        var url = $"/api/collections/{IndexedPhotos.Collection}/labels";
        Assert.Equal(0, (await Json.GetAsync(client, url)).GetArrayLength());

        var job = await ZeroShotTests.RunJobAsync(client, new { labels = Colours, labelSet = "colour", apply = true });
        Assert.True(job.GetProperty("applied").GetBoolean());

        var set = Assert.Single((await Json.GetAsync(client, url)).EnumerateArray());
        Assert.Equal("colour", set.GetProperty("name").GetString());
        Assert.Equal(_photos.Files.Count, set.GetProperty("images").GetInt32());
        var labels = set.GetProperty("labels").EnumerateArray().ToDictionary(l => l.GetProperty("label").GetString()!, l => l.GetProperty("count").GetInt32());
        Assert.Subset(Colours.ToHashSet(), labels.Keys.ToHashSet());
        var counts = labels.Values.ToList();
        Assert.Equal(counts.OrderDescending(), counts); // most images first

        // Each count is what the label filter finds.
        var greens = await Json.PostAsync(client, "/api/search", new { text = "a photo of a shape.", filter = "label:colour=green", k = 1000 });
        Assert.Equal(labels["green"], greens.GetProperty("hits").GetArrayLength());
    }

    [Fact]
    public async Task Labels_UnknownCollection_IsA404Problem()
    {
        using var factory = new ApiFactory(_photos);
        using var response = await factory.CreateClient().GetAsync("/api/collections/nothing-here/labels");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => _photos.Dispose();
}
