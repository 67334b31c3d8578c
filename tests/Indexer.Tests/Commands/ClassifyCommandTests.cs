using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

public sealed class ClassifyCommandTests
{
    private static readonly string[] Colours = ["red", "green", "blue", "yellow", "orange", "purple", "black", "white"];
    private static readonly string[] Shapes = ["circle", "square", "triangle", "star"];

    /// <summary>One held-out image of each colour and shape that the labels cover.</summary>
    private static List<(string Path, string Label)> HeldOut() =>
        [.. Directory.EnumerateFiles(TestPaths.Data("tiny-clip-heldout"), "*-000.*").Order(StringComparer.Ordinal)
            .Select(p => (Path: p, Label: string.Join(' ', Path.GetFileNameWithoutExtension(p).Split('-')[..2])))
            .Where(x => Colours.Contains(x.Label.Split(' ')[0]) && Shapes.Contains(x.Label.Split(' ')[1]))];

    [Fact]
    public async Task Classify_HeldOutShapes_BestLabelIsTheTrueOneWithProbabilitiesThatSumToOne()
    {
        var images = HeldOut();
        Assert.True(images.Count >= 16);
        var labels = string.Join(',', images.Select(i => i.Label).Distinct());
        var (exit, stdout, stderr) = await CliRunner.RunAsync(["classify", .. images.Select(i => i.Path), "--labels", labels, "--top", "100", "--json"]);
        Assert.True(exit == 0, stderr);
        var lines = CliRunner.Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(images.Count, lines.Count);
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(images[i].Path, lines[i].GetProperty("input").GetString());
            var ranked = lines[i].GetProperty("labels").EnumerateArray().ToList();
            Assert.Equal(images[i].Label, ranked[0].GetProperty("label").GetString());
            Assert.Equal(1.0, ranked.Sum(r => r.GetProperty("probability").GetDouble()), 3);
            var probabilities = ranked.Select(r => r.GetProperty("probability").GetDouble()).ToList();
            Assert.Equal(probabilities.OrderByDescending(p => p), probabilities);
        }
    }

    [Fact]
    public async Task Classify_SigmoidModel_GivesEachLabelItsOwnProbability()
    {
        var images = HeldOut();
        var labels = string.Join(',', images.Select(i => i.Label).Distinct());
        var (exit, stdout, stderr) = await CliRunner.RunAsync(["classify", .. images.Select(i => i.Path), "--labels", labels, "--top", "100", "--json",
            "--model", TestPaths.TinySiglip]);

        Assert.True(exit == 0, stderr);
        var lines = CliRunner.Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var right = 0;
        for (var i = 0; i < images.Count; i++)
        {
            var ranked = lines[i].GetProperty("labels").EnumerateArray().ToList();
            right += ranked[0].GetProperty("label").GetString() == images[i].Label ? 1 : 0;
            // sigmoid(scale x cosine + bias) of the model's own scale and bias, one label at a time: no sum to 1.
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TinySiglip, "clipsearch-model.json")));
            var (scale, bias) = (Math.Exp(manifest.RootElement.GetProperty("scoring").GetProperty("logit_scale").GetDouble()),
                manifest.RootElement.GetProperty("scoring").GetProperty("logit_bias").GetDouble());
            Assert.All(ranked, r => Assert.InRange(r.GetProperty("probability").GetDouble() - (1 / (1 + Math.Exp(-(scale * r.GetProperty("score").GetDouble() + bias)))), -1e-4, 1e-4));
        }

        Assert.True(right >= images.Count * 0.9, $"{right} of {images.Count} right");
        Assert.Contains(lines, l => Math.Abs(l.GetProperty("labels").EnumerateArray().Sum(r => r.GetProperty("probability").GetDouble()) - 1) > 0.05);
    }

    [Fact]
    public async Task Classify_EnsembleAndPromptsFileWithOverride_Run()
    {
        var (path, label) = HeldOut()[0];
        var (exit, stdout, _) = await CliRunner.RunAsync("classify", path, "--labels", $"{label},nothing at all", "--ensemble", "imagenet80", "--top", "1", "--json");
        Assert.Equal(0, exit);
        Assert.Equal(label, JsonDocument.Parse(stdout).RootElement.GetProperty("labels")[0].GetProperty("label").GetString());

        using var temp = new TempModelFolder();
        var prompts = Path.Combine(temp.Root, "prompts.txt");
        // The override sends the true label's prompt to another colour: the override must be what is used.
        var other = label.StartsWith("red", StringComparison.Ordinal) ? "blue" + label[3..] : "red" + label[label.IndexOf(' ', StringComparison.Ordinal)..];
        await File.WriteAllTextAsync(prompts, $"a photo of a {{}}.\nmystery: a photo of a {other}.\n");
        (exit, stdout, _) = await CliRunner.RunAsync("classify", path, "--labels", $"{label},mystery", "--prompts", prompts, "--json");
        Assert.Equal(0, exit);
        var scores = JsonDocument.Parse(stdout).RootElement.GetProperty("labels").EnumerateArray()
            .ToDictionary(l => l.GetProperty("label").GetString()!, l => l.GetProperty("score").GetDouble());
        Assert.True(scores[label] > scores["mystery"]);
    }

    [Fact]
    public async Task Classify_Mistakes_AreUsageErrorsAndBadImagesAreReported()
    {
        var (path, label) = HeldOut()[0];
        var (exit, _, stderr) = await CliRunner.RunAsync("classify", path, "--labels", label);
        Assert.Equal(2, exit);
        Assert.Contains("at least two different labels", stderr, StringComparison.Ordinal);
        (exit, _, stderr) = await CliRunner.RunAsync("classify", path, "--labels", "a,b", "--ensemble", "nope");
        Assert.Equal(2, exit);
        Assert.Contains("unknown ensemble 'nope'", stderr, StringComparison.Ordinal);
        (exit, _, stderr) = await CliRunner.RunAsync("classify", path, "--labels", "a,b", "--ensemble", "pets", "--template", "{}");
        Assert.Equal(2, exit);
        Assert.Contains("at most one of --template, --ensemble and --prompts", stderr, StringComparison.Ordinal);

        var (badExit, stdout, _) = await CliRunner.RunAsync("classify", path, "/no/such/file.jpg", "--labels", "a,b", "--json");
        Assert.Equal(1, badExit);
        var lines = CliRunner.Lines(stdout);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("unreadable", JsonDocument.Parse(lines[1]).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
