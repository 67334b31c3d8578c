using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>
/// The CLI over held-out stars and circles indexed with models/tiny-siglip, whose labels are each a yes/no of their own:
/// <c>categorize --multi-label</c> gives a star both "red star" and "a star that is red" (two true labels), a circle only its
/// class; <c>search</c> prints the model's probability beside each text hit's cosine.
/// </summary>
public sealed class SiglipCommandTests : IAsyncLifetime, IDisposable
{
    private readonly IndexTestFolder _folder = new();
    private readonly Dictionary<string, (string Colour, string Shape)> _truth = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        var files = Directory.EnumerateFiles(TestPaths.Data("tiny-clip-heldout")).Order(StringComparer.Ordinal)
            .Where(f => Path.GetFileNameWithoutExtension(f).EndsWith("-000", StringComparison.Ordinal))
            .Where(f => f.Contains("star", StringComparison.Ordinal) || f.Contains("circle", StringComparison.Ordinal)).ToList();
        Assert.True(files.Count >= 8);
        foreach (var file in files)
        {
            File.Copy(file, _folder.PathOf(Path.GetFileName(file)));
            var parts = Path.GetFileNameWithoutExtension(file).Split('-');
            _truth[Path.GetFileName(file)] = (parts[0], parts[1]);
        }

        var (exit, _, err) = await _folder.IndexAsync("--model", TestPaths.TinySiglip);
        Assert.True(exit == 0, err);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    // Every class present, and a paraphrase of each star class: a star has two true labels, a circle one.
    private string[] Labels =>
    [
        .. _truth.Values.Select(t => $"{t.Colour} {t.Shape}").Distinct().Order(StringComparer.Ordinal),
        .. _truth.Values.Where(t => t.Shape == "star").Select(t => $"a star that is {t.Colour}").Distinct().Order(StringComparer.Ordinal),
    ];

    private static HashSet<string> Expected((string Colour, string Shape) t) =>
        t.Shape == "star" ? [$"{t.Colour} star", $"a star that is {t.Colour}"] : [$"{t.Colour} {t.Shape}"];

    private async Task<(int Exit, string Stdout, string Stderr)> CategorizeAsync(params string[] extra) =>
        await CliRunner.RunAsync(["categorize", "--store", _folder.Store, "--model", TestPaths.TinySiglip, "--labels", string.Join(',', Labels), .. extra]);

    [Fact]
    public async Task MultiLabel_SigmoidModel_EveryTrueLabelAndNoOther_FilterableAndExported()
    {
        var export = Path.Combine(_folder.Root, "tags.json");
        var (exit, stdout, stderr) = await CategorizeAsync("--multi-label", "--label-set", "tags", "--json", "--export", export);
        Assert.True(exit == 0, stderr);
        Assert.Contains("an image counts under each label it got", stderr, StringComparison.Ordinal);

        var points = await _folder.PointsAsync();
        foreach (var (path, truth) in _truth)
        {
            var assigned = points[path].Payload.Labels["tags"];
            Assert.Equal(Expected(truth), assigned.Assigned().Select(l => l.Label).ToHashSet());
            Assert.All(assigned.Also!, a => Assert.True(a.Score <= assigned.Score));
        }

        // The distribution counts each image under every label it got.
        var distribution = JsonDocument.Parse(stdout).RootElement.GetProperty("distribution").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var stars = _truth.Values.Count(t => t.Shape == "star");
        Assert.Equal(_truth.Count + stars, distribution.Values.Sum());

        // A label filter finds an image by a further label as by its best one.
        var redStars = _truth.Where(kv => kv.Value == ("red", "star")).Select(kv => kv.Key).ToList();
        Assert.NotEmpty(redStars);
        var (searchExit, found, searchErr) = await CliRunner.RunAsync("search", "a shape", "--store", _folder.Store, "--model", TestPaths.TinySiglip,
            "--filter", "label:tags=\"a star that is red\"", "--json", "-k", "50");
        Assert.True(searchExit == 0, searchErr);
        var hits = JsonDocument.Parse(found).RootElement.GetProperty("hits").EnumerateArray()
            .Select(h => Path.GetFileName(h.GetProperty("path").GetString()!)).Order(StringComparer.Ordinal);
        Assert.Equal(redStars.Order(StringComparer.Ordinal), hits);

        // The export lists the further labels with their scores.
        var rows = JsonDocument.Parse(File.ReadAllText(export)).RootElement.EnumerateArray().ToList();
        Assert.Equal(_truth.Count, rows.Count);
        foreach (var row in rows)
        {
            var labels = row.GetProperty("also").EnumerateArray().Select(a => a.GetProperty("label").GetString()!).Prepend(row.GetProperty("label").GetString()!);
            Assert.Equal(Expected(_truth[Path.GetFileName(row.GetProperty("path").GetString()!)]), labels.ToHashSet());
        }
    }

    [Fact]
    public async Task Search_TextQuery_PrintsTheModelsProbabilityBesideTheCosine()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TinySiglip, "clipsearch-model.json")));
        var scoring = manifest.RootElement.GetProperty("scoring");
        var (scale, bias) = (Math.Exp(scoring.GetProperty("logit_scale").GetDouble()), scoring.GetProperty("logit_bias").GetDouble());

        var (exit, stdout, stderr) = await CliRunner.RunAsync("search", "a blue circle", "--store", _folder.Store, "--model", TestPaths.TinySiglip, "--json", "-k", "50");
        Assert.True(exit == 0, stderr);
        var hits = JsonDocument.Parse(stdout).RootElement.GetProperty("hits").EnumerateArray().ToList();
        Assert.StartsWith("blue-circle", Path.GetFileName(hits[0].GetProperty("path").GetString()), StringComparison.Ordinal);
        foreach (var hit in hits)
        {
            Assert.Equal(1 / (1 + Math.Exp(-((scale * hit.GetProperty("score").GetDouble()) + bias))), hit.GetProperty("probability").GetDouble(), 4);
        }

        Assert.True(hits[0].GetProperty("probability").GetDouble() > 0.5 && hits[^1].GetProperty("probability").GetDouble() < 0.5);
        var text = await CliRunner.RunAsync("search", "a blue circle", "--store", _folder.Store, "--model", TestPaths.TinySiglip, "-k", "1");
        Assert.Matches(@"^0\.\d{4}  +\d+\.\d%  .*blue-circle-000\.jpg$", text.Out.Trim());

        // An image query has no such probability (the model scored text-image pairs).
        var like = await CliRunner.RunAsync("search", "--like", _folder.PathOf("blue-circle-000.jpg"), "--store", _folder.Store, "--json");
        Assert.True(like.Exit == 0, like.Err);
        Assert.All(JsonDocument.Parse(like.Out).RootElement.GetProperty("hits").EnumerateArray(), h => Assert.False(h.TryGetProperty("probability", out _)));
    }

    [Fact]
    public async Task SingleLabel_SameLabels_OneLabelPerImage_AndASoftmaxModelNeedsAMinimumScore()
    {
        var (exit, _, stderr) = await CategorizeAsync("--label-set", "best");
        Assert.True(exit == 0, stderr);
        foreach (var (path, truth) in _truth)
        {
            var assigned = (await _folder.PointsAsync())[path].Payload.Labels["best"];
            Assert.Null(assigned.Also);
            Assert.Contains(assigned.Label, Expected(truth));
        }

        // tiny-clip's probabilities are a softmax among the labels given: no per-label yes/no to go by.
        var (clipIndexed, _, clipErr) = await _folder.IndexAsync("--collection", "clip");
        Assert.True(clipIndexed == 0, clipErr);
        var refused = await CliRunner.RunAsync("categorize", "--store", _folder.Store, "--collection", "clip", "--labels", "red star,blue circle", "--multi-label");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("give a minimum score", refused.Err, StringComparison.Ordinal);
        var withScore = await CliRunner.RunAsync("categorize", "--store", _folder.Store, "--collection", "clip", "--labels", "red star,blue circle", "--multi-label",
            "--min-score", "0.2");
        Assert.True(withScore.Exit == 0, withScore.Err);
        var margin = await CategorizeAsync("--multi-label", "--min-margin", "0.05");
        Assert.Equal(2, margin.Exit);
        Assert.Contains("runner-up", margin.Stderr, StringComparison.Ordinal);
    }
}
