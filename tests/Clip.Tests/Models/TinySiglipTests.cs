using System.Globalization;
using System.Text.Json;
using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Inference;
using ClipSearch.Clip.Models;
using ClipSearch.Clip.Tokenization;
using ClipSearch.Core;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Tests.Shared;
using Xunit.Abstractions;

namespace ClipSearch.Clip.Tests.Models;

/// <summary>
/// models/tiny-siglip (a SigLIP-style model of the coloured-shapes world in the Transformers.js SigLIP layout) against its
/// references, made by tools/tiny-clip/train_siglip.py: python sentencepiece's token ids after SigLIP's text cleaning,
/// PyTorch's text and image embeddings, and zero-shot top-1 on the held-out images with its sigmoid scoring.
/// </summary>
public sealed class TinySiglipTests(ITestOutputHelper output)
{
    private static readonly ClipEngineOptions Cpu = new() { Device = ExecutionDevice.Cpu };

    [Fact]
    public void Load_TinySiglip_IsTheSigLipFamilyWithItsOwnScaleAndBias()
    {
        using var model = ClipModel.Load(TestPaths.TinySiglip, Cpu);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TinySiglip, "clipsearch-model.json")));
        var scoring = manifest.RootElement.GetProperty("scoring");

        Assert.Equal(ModelFamily.SigLip, model.Family);
        Assert.Equal(TokenizerKind.SentencePiece, model.Folder.Tokenizer.Kind);
        Assert.Equal(64, model.ContextLength);
        Assert.True(model.Scoring.IsSigmoid && model.Scoring.HasProbabilities);
        Assert.Equal(MathF.Exp(scoring.GetProperty("logit_scale").GetSingle()), model.Scoring.LogitScale, 3);
        Assert.Equal(scoring.GetProperty("logit_bias").GetSingle(), model.Scoring.LogitBias, 4);
    }

    [Fact]
    public void Tokenize_ReferenceCases_MatchPythonSentencePiece()
    {
        using var model = ClipModel.Load(TestPaths.TinySiglip, Cpu);
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Data("reference", "tiny-siglip-tokens.json")));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToList();
        var mismatches = new List<string>();
        foreach (var c in cases)
        {
            var text = c.GetProperty("text").GetString()!;
            var expected = c.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var row = model.Tokenizer.Tokenize(text);
            if (!row.Ids.SequenceEqual(expected))
            {
                mismatches.Add($"{JsonSerializer.Serialize(text)}: expected [{string.Join(",", expected.Take(16))}] got [{string.Join(",", row.Ids.Take(16))}]");
            }
        }

        Assert.True(cases.Count >= 300, $"only {cases.Count} reference cases");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases.Count} differ:\n{string.Join("\n", mismatches.Take(10))}");
    }

    [Fact]
    public void Encode_ReferenceTextsAndImages_MatchPyTorch()
    {
        using var model = ClipModel.Load(TestPaths.TinySiglip, Cpu);
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Data("reference", "tiny-siglip-embeddings.json")));
        var texts = doc.RootElement.GetProperty("texts").EnumerateArray().ToList();
        var encoded = model.Encode([.. texts.Select(t => t.GetProperty("text").GetString()!)]);
        for (var i = 0; i < texts.Count; i++)
        {
            var cosine = VectorMath.Cosine(Floats(texts[i]), encoded[i]);
            Assert.True(cosine >= 0.9999f, $"text {texts[i].GetProperty("text")}: cosine {cosine} with PyTorch's embedding");
        }

        var decoder = new SafeImageDecoder(new ImageDecodeOptions());
        foreach (var image in doc.RootElement.GetProperty("images").EnumerateArray())
        {
            var file = image.GetProperty("file").GetString()!;
            var result = decoder.DecodeFile(TestPaths.Data("tiny-clip-heldout", file));
            using var decoded = result.Image ?? throw new InvalidOperationException($"{file}: {result.Failure}");
            var embedding = model.EncodePixelTensors([model.Preprocessor.Preprocess(decoded)])[0];
            var cosine = VectorMath.Cosine(Floats(image), embedding);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: cosine {cosine:0.000000}"));
            Assert.True(cosine >= 0.999f, $"image {file}: cosine {cosine} with PyTorch's embedding");
        }
    }

    [Fact]
    public void ZeroShot_HeldOutShapes_AtLeast90PercentWithIndependentProbabilities()
    {
        var folder = TestPaths.Data("tiny-clip-heldout");
        var rows = File.ReadAllLines(Path.Combine(folder, "labels.tsv")).Skip(1).Select(l => l.Split('\t')).ToList();
        var labels = rows.Select(r => r[1]).Distinct().Order(StringComparer.Ordinal).ToList();
        using var model = ClipModel.Load(TestPaths.TinySiglip, Cpu);
        var classifier = ZeroShotClassifier.Create(labels, new PromptSet(["a photo of a {}."], null, "photo"), model);
        var decoder = new SafeImageDecoder(new ImageDecodeOptions());
        var images = model.EncodePixelTensors([.. rows.Select(r =>
        {
            var result = decoder.DecodeFile(Path.Combine(folder, r[0]));
            using var image = result.Image ?? throw new InvalidOperationException($"{r[0]}: {result.Failure}");
            return model.Preprocessor.Preprocess(image);
        })]);

        var results = images.Select(e => classifier.Classify(e, new Thresholds(MinProbability: 0f))).ToList();
        var accuracy = (double)results.Zip(rows).Count(x => x.First.Labels[0].Label == x.Second[1]) / rows.Count;
        var pytorch = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TinySiglip, "training-report.json"))).RootElement.GetProperty("pytorch_zero_shot_top1").GetDouble();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine top-1 {accuracy:P2}; PyTorch {pytorch:P2}"));
        Assert.True(accuracy >= 0.90, $"zero-shot top-1 {accuracy:P2} is under 90%");
        Assert.True(Math.Abs(accuracy - pytorch) <= 0.01, $"engine {accuracy:P2} and PyTorch {pytorch:P2} differ by more than 1 point");
        // Sigmoid probabilities are each label's own yes/no: their sum is not 1.
        Assert.Contains(results, r => Math.Abs(r.Labels.Sum(l => l.Probability) - 1) > 0.05);
    }

    private static float[] Floats(JsonElement e) => [.. e.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())];
}
