using ClipSearch.Tests.Shared;

namespace ClipSearch.SearchApi.Tests;

/// <summary>
/// The API serving models/tiny-siglip (each label its own yes/no) over a collection indexed with it: a text query's hits carry
/// the model's probabilities; a multi-label categorization job gives a star both "red star" and "a star that is red", a circle
/// only its class, and counts, galleries, stored labels and exports say so; a CLIP model without a per-label threshold is refused in words.
/// </summary>
public sealed class SiglipApiTests : IDisposable
{
    private static readonly string[] Colours = ["red", "blue", "yellow"];
    private readonly IndexedPhotos _photos = new(TestPaths.TinySiglip);

    private static string[] Labels => [.. Colours.Select(c => $"{c} star"), .. Colours.Select(c => $"{c} circle"), .. Colours.Select(c => $"a star that is {c}")];

    private static HashSet<string> Expected(string className)
    {
        var (colour, shape) = (className.Split('-')[0], className.Split('-')[1]);
        return !Colours.Contains(colour) || shape is not ("star" or "circle") ? []
            : shape == "star" ? [$"{colour} star", $"a star that is {colour}"] : [$"{colour} circle"];
    }

    [Fact]
    public async Task Search_TextQuery_HitsCarryTheModelsProbability_NotForImageQueriesOrClipModels()
    {
        using var factory = new ApiFactory(_photos, new Dictionary<string, string?> { ["ClipSearch:Model"] = TestPaths.TinySiglip });
        var client = factory.CreateClient();
        var model = await Json.GetAsync(client, "/api/model");
        var (scale, bias) = (Math.Exp(ReadScoring("logit_scale")), ReadScoring("logit_bias"));

        var hits = (await Json.GetAsync(client, "/api/search?q=" + Uri.EscapeDataString("a yellow star") + "&k=40")).GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal("SigLIP", model.GetProperty("family").GetString());
        Assert.StartsWith("yellow-star", Path.GetFileName(hits[0].GetProperty("path").GetString()), StringComparison.Ordinal);
        foreach (var hit in hits)
        {
            // sigmoid(exp(logit_scale) x cosine + logit_bias), with the values the model folder records.
            var expected = 1 / (1 + Math.Exp(-((scale * hit.GetProperty("score").GetDouble()) + bias)));
            Assert.Equal(expected, hit.GetProperty("probability").GetDouble(), 4);
        }

        Assert.True(hits[0].GetProperty("probability").GetDouble() > 0.5);
        Assert.True(hits[^1].GetProperty("probability").GetDouble() < 0.5);

        var similar = await Json.GetAsync(client, $"/api/images/{_photos.IdOf(_photos.FileOf("yellow-star"))}/similar?k=3");
        Assert.All(similar.GetProperty("hits").EnumerateArray(), h => Assert.Equal(System.Text.Json.JsonValueKind.Null, h.GetProperty("probability").ValueKind));
        var combined = await Json.PostAsync(client, "/api/search", new { positive = new object[] { new { text = "a yellow star" }, new { imageId = _photos.IdOf(_photos.FileOf("red-star")) } } });
        Assert.All(combined.GetProperty("hits").EnumerateArray(), h => Assert.Equal(System.Text.Json.JsonValueKind.Null, h.GetProperty("probability").ValueKind));

        using var clipPhotos = new IndexedPhotos();
        using var clip = new ApiFactory(clipPhotos);
        var clipHits = await Json.GetAsync(clip.CreateClient(), "/api/search?q=" + Uri.EscapeDataString("a yellow star") + "&k=3");
        Assert.All(clipHits.GetProperty("hits").EnumerateArray(), h => Assert.Equal(System.Text.Json.JsonValueKind.Null, h.GetProperty("probability").ValueKind));
    }

    // A value of models/tiny-siglip's clipsearch-model.json scoring section.
    private static double ReadScoring(string name)
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TinySiglip, "clipsearch-model.json")));
        return manifest.RootElement.GetProperty("scoring").GetProperty(name).GetDouble();
    }

    [Fact]
    public async Task Categorize_MultiLabel_EveryTrueLabel_CountedShownStoredAndExported()
    {
        using var factory = new ApiFactory(_photos, new Dictionary<string, string?> { ["ClipSearch:Model"] = TestPaths.TinySiglip });
        var client = factory.CreateClient();
        var scope = _photos.Files.Where(f => Expected(IndexedPhotos.ClassOf(f)).Count > 0).ToList();

        var job = await ZeroShotTests.RunJobAsync(client, new { labels = Labels, multiLabel = true, apply = true, labelSet = "tags" });

        Assert.Equal("completed", job.GetProperty("state").GetString());
        Assert.True(job.GetProperty("multiLabel").GetBoolean());
        var counts = job.GetProperty("distribution").EnumerateArray().ToDictionary(d => d.GetProperty("label").GetString()!, d => d.GetProperty("count").GetInt32());
        foreach (var label in Labels)
        {
            Assert.Equal(scope.Count(f => Expected(IndexedPhotos.ClassOf(f)).Contains(label)), counts.GetValueOrDefault(label));
        }

        // The gallery of a further label lists the images that got it.
        var id = job.GetProperty("id").GetString();
        var redStars = await Json.GetAsync(client, $"/api/categorize/{id}/images?label={Uri.EscapeDataString("a star that is red")}&k=100");
        Assert.Equal(_photos.Files.Where(f => IndexedPhotos.ClassOf(f) == "red-star").Select(_photos.IdOf).Order(),
            redStars.EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).Order());

        // Written to the index: every image's labels, and a label filter finds a further one.
        foreach (var file in scope)
        {
            var image = await Json.GetAsync(client, $"/api/images/{_photos.IdOf(file)}");
            var tags = image.GetProperty("labels").GetProperty("tags");
            var assigned = tags.GetProperty("also").EnumerateArray().Select(a => a.GetProperty("label").GetString()!).Prepend(tags.GetProperty("label").GetString()!);
            Assert.Equal(Expected(IndexedPhotos.ClassOf(file)), assigned.ToHashSet());
        }

        var found = await Json.GetAsync(client, $"/api/search?q=shape&k=100&filter={Uri.EscapeDataString("label:tags=\"a star that is blue\"")}");
        Assert.Equal(_photos.Files.Where(f => IndexedPhotos.ClassOf(f) == "blue-star").Select(_photos.IdOf).Order(),
            found.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetGuid()).Order());

        var csv = await client.GetStringAsync($"/api/categorize/{id}/export?format=csv");
        Assert.StartsWith("id,path,label,score,runner_up,runner_up_score,also,also_scores\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Categorize_MultiLabelWithAClipModelAndNoMinimumScore_RefusedInWords()
    {
        using var clipPhotos = new IndexedPhotos();
        using var factory = new ApiFactory(clipPhotos);
        var client = factory.CreateClient();
        var refused = await client.PostAsync("/api/categorize", System.Net.Http.Json.JsonContent.Create(new { labels = Labels, multiLabel = true }));
        await HostileRequestTests.AssertAnswerAsync(refused, 400, false);
        Assert.Contains("give a minimum score", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var job = await ZeroShotTests.RunJobAsync(client, new { labels = Labels, multiLabel = true, minScore = 0.3f });
        Assert.Equal("completed", job.GetProperty("state").GetString());
        var shares = job.GetProperty("distribution").EnumerateArray().Select(d => d.GetProperty("share").GetDouble()).ToList();
        Assert.All(shares, s => Assert.InRange(s, 0, 1)); // a share of the images, though an image may count under several labels
    }

    public void Dispose() => _photos.Dispose();
}
