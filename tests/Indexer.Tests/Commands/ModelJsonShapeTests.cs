using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>The README's JSON lines of the commands that need only the model: names and their order, numbers, escaping.</summary>
public sealed class ModelJsonShapeTests
{
    private static readonly string RedStar = TestPaths.Data("tiny-clip-heldout", "red-star-000.jpg");

    [Fact]
    public async Task Embed_TextAndFailedImage_EmbeddingLineAndErrorLineInDocumentedOrder()
    {
        using var temp = new TempModelFolder();
        var missing = Path.Combine(temp.Root, "missing.jpg");
        var (exit, stdout, _) = await CliRunner.RunAsync("embed", "--text", "a b", "--image", missing);
        Assert.Equal(1, exit);
        var lines = JsonShape.Lines(stdout);
        Assert.Equal(2, lines.Count);
        JsonShape.AssertNames(lines[0], "kind", "input", "embedding");
        Assert.Equal("text", lines[0].GetProperty("kind").GetString());
        var embedding = lines[0].GetProperty("embedding").EnumerateArray().ToList();
        Assert.Equal(96, embedding.Count);
        Assert.All(embedding, JsonShape.AssertFloat32);
        JsonShape.AssertNames(lines[1], "kind", "input", "error");
        Assert.Equal("image", lines[1].GetProperty("kind").GetString());
        Assert.StartsWith("unreadable: ", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_NonAsciiText_WrittenAsIsNotEscaped()
    {
        const string Text = "café ★ + <b> & 'x'";
        var (exit, stdout, _) = await CliRunner.RunAsync("embed", "--text", Text);
        Assert.Equal(0, exit);
        Assert.StartsWith("{\"kind\":\"text\",\"input\":\"café ★ + <b> & 'x'\",\"embedding\":[", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", stdout, StringComparison.Ordinal);
        Assert.Equal(Text, JsonShape.Single(stdout).GetProperty("input").GetString());
    }

    [Fact]
    public async Task Tokenize_Json_TextIdsTruncatedInOrder()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("tokenize", "x", "café ★");
        Assert.Equal(0, exit);
        var lines = JsonShape.Lines(stdout);
        Assert.Equal(["x", "café ★"], lines.Select(l => l.GetProperty("text").GetString()));
        Assert.All(lines, line =>
        {
            JsonShape.AssertNames(line, "text", "ids", "truncated");
            Assert.Equal(77, line.GetProperty("ids").GetArrayLength());
            Assert.Equal(JsonValueKind.False, line.GetProperty("truncated").ValueKind);
        });
        Assert.Equal([49406, 343, 49407, 0], lines[0].GetProperty("ids").EnumerateArray().Take(4).Select(e => e.GetInt64()));
    }

    [Fact]
    public async Task Classify_Json_InputAndLabelsOfLabelProbabilityScore_OrInputAndError()
    {
        using var temp = new TempModelFolder();
        var notImage = Path.Combine(temp.Root, "notes.jpg");
        File.WriteAllText(notImage, "just text");
        var (exit, stdout, _) = await CliRunner.RunAsync("classify", RedStar, notImage, "--labels", "red star,blue circle,étoile ★", "--json");
        Assert.Equal(1, exit);
        var lines = JsonShape.Lines(stdout);
        Assert.Equal(2, lines.Count);
        JsonShape.AssertNames(lines[0], "input", "labels");
        var labels = lines[0].GetProperty("labels").EnumerateArray().ToList();
        Assert.Equal(3, labels.Count);
        Assert.Equal("red star", labels[0].GetProperty("label").GetString());
        Assert.All(labels, l =>
        {
            JsonShape.AssertNames(l, "label", "probability", "score");
            JsonShape.AssertRounded6(l.GetProperty("probability"));
            JsonShape.AssertRounded6(l.GetProperty("score"));
        });
        JsonShape.AssertNames(lines[1], "input", "error");
        Assert.StartsWith("unsupported format: ", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_Json_AccuracyThenPerClassObject_TemplatesOnlyWhenCompared()
    {
        using var dataset = new TempModelFolder();
        foreach (var name in new[] { "red-star-000.jpg", "red-star-001.jpg", "blue-circle-000.jpg", "blue-circle-001.jpg" })
        {
            var label = string.Join('_', name.Split('-')[..2]);
            Directory.CreateDirectory(Path.Combine(dataset.Root, label));
            File.Copy(TestPaths.Data("tiny-clip-heldout", name), Path.Combine(dataset.Root, label, name));
        }

        var (exit, stdout, stderr) = await CliRunner.RunAsync("eval", "--dataset", dataset.Root, "--json");
        Assert.True(exit == 0, stderr);
        var result = JsonShape.Single(stdout);
        JsonShape.AssertNames(result, "images", "top1", "top5", "images_per_second", "per_class", "retrieval");
        JsonShape.AssertNames(result.GetProperty("per_class"), "blue circle", "red star");
        var retrieval = result.GetProperty("retrieval");
        JsonShape.AssertNames(retrieval, "queries", "precision_at10", "mean_average_precision", "calibrated_threshold", "default_cutoff", "cutoffs");
        JsonShape.AssertNames(retrieval.GetProperty("cutoffs"), "jump", "relative", "calibrated", "none");
        JsonShape.AssertNames(retrieval.GetProperty("cutoffs").GetProperty("jump"), "precision", "recall", "f1", "shown");
        // Two classes of two: each class name finds its two images first.
        Assert.Equal(1.0, retrieval.GetProperty("mean_average_precision").GetDouble(), 6);

        (exit, stdout, stderr) = await CliRunner.RunAsync("eval", "--dataset", dataset.Root, "--compare-templates", "--json");
        Assert.True(exit == 0, stderr);
        result = JsonShape.Single(stdout);
        JsonShape.AssertNames(result, "images", "top1", "top5", "images_per_second", "per_class", "templates", "retrieval");
        Assert.All(result.GetProperty("templates").EnumerateArray(), t => JsonShape.AssertNames(t, "prompts", "top1", "top5"));
    }

    [Fact]
    public async Task ModelsInspect_Json_DocumentedTopLevelOrderWithNullVariant()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("models", "inspect", "--json", "--device", "cpu");
        Assert.True(exit == 0, stderr);
        var root = JsonShape.Single(stdout);
        JsonShape.AssertNames(root, "model_id", "family", "folder", "layout", "variant", "available_variants", "device", "dimension", "shared_space",
            "languages", "logit_scale", "scoring", "context_length", "tokenizer", "vision", "text", "preprocessing");
        Assert.Equal("CLIP", root.GetProperty("family").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("variant").ValueKind);
        JsonShape.AssertNames(root.GetProperty("vision"), "path", "embedding_output", "inputs", "outputs");
        JsonShape.AssertNames(root.GetProperty("vision").GetProperty("inputs")[0], "name", "type", "shape");
        JsonShape.AssertNames(root.GetProperty("preprocessing"), "mode", "resize_shortest_edge", "crop_size", "resample", "normalize", "mean", "std", "source");
    }
}
