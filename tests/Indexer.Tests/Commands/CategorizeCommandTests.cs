using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary><c>clipsearch categorize</c> on an indexed collection of held-out shape images (two folders).</summary>
public sealed class CategorizeCommandTests : IAsyncLifetime, IDisposable
{
    private readonly IndexTestFolder _folder = new();
    private readonly Dictionary<string, string> _truth = new(StringComparer.Ordinal); // relative path -> "colour shape"

    public async Task InitializeAsync()
    {
        var files = Directory.EnumerateFiles(TestPaths.Data("tiny-clip-heldout")).Order(StringComparer.Ordinal)
            .Where(f => Path.GetFileNameWithoutExtension(f).EndsWith("-000", StringComparison.Ordinal) || Path.GetFileNameWithoutExtension(f).EndsWith("-001", StringComparison.Ordinal))
            .Where(f => f.Contains("star", StringComparison.Ordinal) || f.Contains("circle", StringComparison.Ordinal)).ToList();
        Assert.True(files.Count >= 16);
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            var relative = $"{(i % 2 == 0 ? "even" : "odd")}/{Path.GetFileName(file)}";
            Directory.CreateDirectory(Path.GetDirectoryName(_folder.PathOf(relative))!);
            File.Copy(file, _folder.PathOf(relative));
            _truth[relative] = string.Join(' ', Path.GetFileNameWithoutExtension(file).Split('-')[..2]);
        }

        Assert.Equal(0, (await _folder.IndexAsync()).Exit);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    private string Labels => string.Join(',', _truth.Values.Distinct().Order(StringComparer.Ordinal));

    private async Task<JsonElement> CategorizeAsync(params string[] extra)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(["categorize", "--store", _folder.Store, "--json", .. extra]);
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement;
    }

    [Fact]
    public async Task Categorize_WritesEachImagesLabelAndTheDistribution()
    {
        var summary = await CategorizeAsync("--labels", Labels);
        Assert.Equal(_truth.Count, summary.GetProperty("images").GetInt32());
        var points = await _folder.PointsAsync();
        foreach (var (path, label) in _truth)
        {
            var assigned = points[path].Payload.Labels[ClipSearch.Engine.Categorization.Categorizer.DefaultLabelSet];
            Assert.Equal(label, assigned.Label);
            Assert.NotNull(assigned.RunnerUp);
            Assert.True(assigned.Score > assigned.RunnerUpScore);
            Assert.Equal(summary.GetProperty("run_id").GetString(), assigned.RunId);
        }

        var distribution = summary.GetProperty("distribution").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(_truth.Values.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count()), distribution);
    }

    [Fact]
    public async Task Categorize_ReRunWithOtherLabels_ReplacesTheSetAndLeavesOtherSetsAlone()
    {
        await CategorizeAsync("--labels", Labels, "--label-set", "kind");
        await CategorizeAsync("--labels", "a star,a circle", "--label-set", "shape");
        await CategorizeAsync("--labels", "something red,something blue,something green", "--label-set", "kind");
        var points = await _folder.PointsAsync();
        foreach (var (path, label) in _truth)
        {
            Assert.StartsWith("something ", points[path].Payload.Labels["kind"].Label, StringComparison.Ordinal); // no stale label survives
            Assert.Equal(label.Contains("star", StringComparison.Ordinal) ? "a star" : "a circle", points[path].Payload.Labels["shape"].Label);
        }
    }

    [Fact]
    public async Task Categorize_FilterRestrictsTheRun_AndAnInterruptedRunResumesWithoutRedoingWork()
    {
        var even = _folder.Images.Replace('\\', '/') + "/even";
        var first = await CategorizeAsync("--labels", Labels, "--filter", $"folder:\"{even}\"");
        var points = await _folder.PointsAsync();
        Assert.All(_truth.Keys, p => Assert.Equal(p.StartsWith("even/", StringComparison.Ordinal), points[p].Payload.Labels.ContainsKey("category")));

        // The same categorization over everything: the half done already is not redone (as after an interruption).
        var rest = await CategorizeAsync("--labels", Labels);
        Assert.Equal(first.GetProperty("images").GetInt32(), rest.GetProperty("already_done").GetInt32());
        Assert.Equal(_truth.Count, rest.GetProperty("images").GetInt32());
        Assert.All((await _folder.PointsAsync()).Values, p => Assert.Equal(rest.GetProperty("run_id").GetString(), p.Payload.Labels["category"].RunId));
    }

    [Fact]
    public async Task Categorize_ExportMatchesThePayload_AndDryRunWritesNothing()
    {
        var csv = Path.Combine(_folder.Root, "labels.csv");
        var json = Path.Combine(_folder.Root, "labels.json");
        var dry = await CategorizeAsync("--labels", Labels, "--dry-run", "--export", json);
        Assert.True(dry.GetProperty("dry_run").GetBoolean());
        Assert.All((await _folder.PointsAsync()).Values, p => Assert.Empty(p.Payload.Labels));
        Assert.Equal(_truth.Count, JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetArrayLength());

        await CategorizeAsync("--labels", Labels, "--min-margin", "0.99", "--export", csv);
        var points = (await _folder.PointsAsync()).Values.ToDictionary(p => p.Payload.FullPath);
        var rows = File.ReadAllLines(csv);
        Assert.Equal("path,label,score,runner_up,runner_up_score", rows[0]);
        Assert.Equal(_truth.Count, rows.Length - 1);
        foreach (var row in rows.Skip(1).Select(r => r.Split(',')))
        {
            var assigned = points[row[0]].Payload.Labels["category"];
            Assert.Equal(assigned.Label, row[1]);
            Assert.Equal("", row[1]); // a margin of 0.99 is never met: every image stays unlabelled
            Assert.True(Math.Abs(assigned.Score - float.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture)) < 1e-5);
            Assert.Equal(assigned.RunnerUp, row[3]);
        }
    }

    [Fact]
    public async Task Categorize_Mistakes_AreRefusedBeforeAnythingIsWritten()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("categorize", "--store", _folder.Store, "--labels", Labels, "--label-set", "bad name!");
        Assert.Equal(2, exit);
        Assert.Contains("Label set names", stderr, StringComparison.Ordinal);
        (exit, _, stderr) = await CliRunner.RunAsync("categorize", "--store", _folder.Store, "--labels", Labels, "--export", "out.txt");
        Assert.Equal(2, exit);
        Assert.Contains(".csv or .json", stderr, StringComparison.Ordinal);
        (exit, _, _) = await CliRunner.RunAsync("categorize", "--store", _folder.Store, "--labels", Labels, "--collection", "nope");
        Assert.Equal(5, exit);
        Assert.All((await _folder.PointsAsync()).Values, p => Assert.Empty(p.Payload.Labels));
    }
}
