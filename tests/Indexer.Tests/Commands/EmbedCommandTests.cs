using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

public sealed class EmbedCommandTests
{
    private static readonly string RedStar = TestPaths.Data("tiny-clip-heldout", "red-star-000.jpg");
    private static readonly string BlueCircle = TestPaths.Data("tiny-clip-heldout", "blue-circle-000.jpg");

    [Fact]
    public async Task Embed_ImagesAndTexts_OneLinePerInputInCommandLineOrder()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("embed", "--image", RedStar, "--text", "a photo of a red star.", "--image", BlueCircle, "--text", "a photo of a blue circle.");
        Assert.Equal(0, exit);
        var lines = CliRunner.Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["image", "text", "image", "text"], lines.Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal([RedStar, "a photo of a red star.", BlueCircle, "a photo of a blue circle."], lines.Select(l => l.GetProperty("input").GetString()));
        var vectors = lines.Select(l => l.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray()).ToList();
        Assert.All(vectors, v => Assert.Equal(96, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4));

        // Each image is nearer its own caption than the other one (zero-shot through the CLI's own output).
        Assert.True(Dot(vectors[0], vectors[1]) > Dot(vectors[0], vectors[3]));
        Assert.True(Dot(vectors[2], vectors[3]) > Dot(vectors[2], vectors[1]));
    }

    [Fact]
    public async Task Embed_BadInputs_ReportsEachAndStillEmbedsTheRest()
    {
        using var temp = new TempModelFolder();
        var missing = Path.Combine(temp.Root, "missing.jpg");
        var notImage = Path.Combine(temp.Root, "notes.jpg");
        File.WriteAllText(notImage, "just text, named like a photo");
        var (exit, stdout, _) = await CliRunner.RunAsync("embed", "--image", missing, "--image", RedStar, "--image", notImage);
        Assert.Equal(1, exit);
        var lines = CliRunner.Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("unreadable", lines[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(96, lines[1].GetProperty("embedding").GetArrayLength());
        Assert.StartsWith("unsupported format", lines[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(lines[2].TryGetProperty("embedding", out _));
    }

    [Fact]
    public async Task Embed_NoInputs_IsAUsageError()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("embed");
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("--image", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_MissingModelFolder_ExitsWithModelErrorNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-model-" + Guid.NewGuid().ToString("N"));
        var (exit, stdout, stderr) = await CliRunner.RunAsync("embed", "--model", path, "--text", "hello");
        Assert.Equal(3, exit);
        Assert.Empty(stdout);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_UnknownOption_IsAUsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("embed", "--imagez", RedStar);
        Assert.Equal(2, exit);
        Assert.Contains("--imagez", stderr, StringComparison.Ordinal);
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
