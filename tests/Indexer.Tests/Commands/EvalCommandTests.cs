using System.Text.Json;
using System.Xml.Linq;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary><c>clipsearch eval</c> on the bundled model's held-out set, laid out as an image-folder dataset.</summary>
public sealed class EvalCommandTests : IDisposable
{
    private readonly TempModelFolder _temp = new();

    /// <summary>tests/data/tiny-clip-heldout as DIR/red_star/..., DIR/blue_circle/...; returns DIR and the class count.</summary>
    private (string Dir, int Classes) Dataset()
    {
        var dir = Path.Combine(_temp.Root, "dataset");
        var rows = File.ReadAllLines(TestPaths.Data("tiny-clip-heldout", "labels.tsv")).Skip(1).Select(l => l.Split('\t')).ToList();
        foreach (var row in rows)
        {
            var target = Path.Combine(dir, row[1].Replace(' ', '_'), row[0]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(TestPaths.Data("tiny-clip-heldout", row[0]), target);
        }

        return (dir, rows.Select(r => r[1]).Distinct().Count());
    }

    [Fact]
    public async Task Eval_HeldOutSet_MatchesThePyTorchAccuracyAndWritesTheReport()
    {
        var (dir, classes) = Dataset();
        var report = Path.Combine(_temp.Root, "report");
        var (exit, stdout, stderr) = await CliRunner.RunAsync("eval", "--dataset", dir, "--report", report, "--json");
        Assert.True(exit == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        var pytorch = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TinyClip, "training-report.json"))).RootElement
            .GetProperty("pytorch_zero_shot_top1").GetDouble();
        Assert.Equal(320, result.GetProperty("images").GetInt32());
        Assert.True(Math.Abs(result.GetProperty("top1").GetDouble() - pytorch) <= 0.005, $"ClipSearch {result.GetProperty("top1")} vs PyTorch {pytorch}");
        Assert.True(result.GetProperty("top5").GetDouble() >= result.GetProperty("top1").GetDouble());
        Assert.True(result.GetProperty("images_per_second").GetDouble() > 0);
        var perClass = result.GetProperty("per_class").EnumerateObject().ToList();
        Assert.Equal(classes, perClass.Count);
        Assert.Contains(perClass, p => p.Name == "red star");

        var csv = File.ReadAllLines(Path.Combine(report, "confusion.csv"));
        Assert.Equal(classes + 1, csv.Length);
        Assert.Equal(320, csv.Skip(1).Sum(l => l.Split(',').Skip(1).Sum(int.Parse)));
        var svg = XDocument.Load(Path.Combine(report, "confusion.svg"));
        Assert.Equal(classes * classes + 1, svg.Descendants().Count(e => e.Name.LocalName == "rect"));
        Assert.Contains("top-1", File.ReadAllText(Path.Combine(report, "report.md")), StringComparison.Ordinal);
        Assert.Contains("top-1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_CompareTemplatesAndLabelsFile_AreReportedSideBySide()
    {
        var (dir, _) = Dataset();
        var labels = Path.Combine(_temp.Root, "labels.tsv");
        await File.WriteAllLinesAsync(labels, Directory.EnumerateDirectories(dir).Select(d => $"{Path.GetFileName(d)}\t{Path.GetFileName(d).Replace('_', ' ')} shape"));
        var (exit, stdout, stderr) = await CliRunner.RunAsync("eval", "--dataset", dir, "--labels-file", labels, "--compare-templates", "--json");
        Assert.True(exit == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Contains(result.GetProperty("per_class").EnumerateObject(), p => p.Name == "red star shape");
        var templates = result.GetProperty("templates").EnumerateArray().Select(t => t.GetProperty("prompts").GetString()).ToList();
        Assert.Equal(["photo", "{} (the label alone)", "imagenet80"], templates);
    }

    [Fact]
    public async Task Eval_BadDatasets_AreRefusedClearly()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("eval", "--dataset", Path.Combine(_temp.Root, "missing"));
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
        var one = Path.Combine(_temp.Root, "one-class", "cat");
        Directory.CreateDirectory(one);
        File.Copy(TestPaths.Data("tiny-clip-heldout", "red-star-000.jpg"), Path.Combine(one, "a.jpg"));
        (exit, _, stderr) = await CliRunner.RunAsync("eval", "--dataset", Path.GetDirectoryName(one)!);
        Assert.Equal(2, exit);
        Assert.Contains("at least two class folders", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_TwoModels_ReportsEachOnTheSameImagesInTheOrderGiven()
    {
        var (dir, classes) = Dataset();
        var report = Path.Combine(_temp.Root, "report");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("eval", "--dataset", dir, "--model", TestPaths.TinyClip, "--model", TestPaths.TinySiglip, "--report", report, "--json");

        Assert.True(exit == 0, stderr);
        var models = JsonDocument.Parse(stdout).RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["CLIP", "SigLIP"], models.Select(m => m.GetProperty("family").GetString()));
        foreach (var (m, folder) in models.Zip([TestPaths.TinyClip, TestPaths.TinySiglip]))
        {
            // Each model's accuracy is the one its own training measured in PyTorch on these images.
            var pytorch = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "training-report.json"))).RootElement.GetProperty("pytorch_zero_shot_top1").GetDouble();
            Assert.Equal(320, m.GetProperty("images").GetInt32());
            Assert.True(Math.Abs(m.GetProperty("top1").GetDouble() - pytorch) <= 0.01, $"{m.GetProperty("model")}: {m.GetProperty("top1")} vs PyTorch {pytorch}");
            Assert.Equal(classes, m.GetProperty("per_class").EnumerateObject().Count());
            Assert.True(m.GetProperty("images_per_second").GetDouble() > 0);
        }

        var markdown = File.ReadAllText(Path.Combine(report, "report.md"));
        Assert.Contains("| model | family | top-1 | top-5 | images/s |", markdown, StringComparison.Ordinal);
        Assert.Equal(2, Directory.EnumerateDirectories(report).Count(d => File.Exists(Path.Combine(d, "confusion.csv"))));
    }

    [Fact]
    public async Task Eval_VariantsThatCannotBePaired_ExitsWithUsage()
    {
        var (dir, _) = Dataset();
        var (exit, _, stderr) = await CliRunner.RunAsync("eval", "--dataset", dir, "--model", TestPaths.TinyClip, "--model", TestPaths.TinyClip,
            "--variant", "a", "--variant", "b", "--variant", "c");

        Assert.Equal(2, exit);
        Assert.Contains("cannot be paired", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ModelGivenTwice_ExitsWithUsage()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("search", "x", "--model", TestPaths.TinyClip, "--model", TestPaths.TinyClip);

        Assert.Equal(2, exit);
        Assert.Contains("--model is given more than once", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
