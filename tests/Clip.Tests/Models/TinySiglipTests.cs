using System.Globalization;
using System.Text.Json;
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
        TokenReference.AssertMatches(model, "tiny-siglip-tokens.json");
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

        var images = doc.RootElement.GetProperty("images").EnumerateArray().ToList();
        var embeddings = HeldOutShapes.Embed(model, images.Select(i => i.GetProperty("file").GetString()!));
        foreach (var (image, embedding) in images.Zip(embeddings))
        {
            var file = image.GetProperty("file").GetString()!;
            var cosine = VectorMath.Cosine(Floats(image), embedding);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: cosine {cosine:0.000000}"));
            Assert.True(cosine >= 0.999f, $"image {file}: cosine {cosine} with PyTorch's embedding");
        }
    }

    [Fact]
    public void ZeroShot_HeldOutShapes_AtLeast90PercentWithIndependentProbabilities()
    {
        var rows = HeldOutShapes.Rows();
        var labels = HeldOutShapes.Labels(rows);
        using var model = ClipModel.Load(TestPaths.TinySiglip, Cpu);
        var classifier = ZeroShotClassifier.Create(labels, new PromptSet(["a photo of a {}."], null, "photo"), model);
        var images = HeldOutShapes.Embed(model, rows.Select(r => r.File));

        var results = images.Select(e => classifier.Classify(e, new Thresholds(MinProbability: 0f))).ToList();
        var accuracy = (double)results.Zip(rows).Count(x => x.First.Labels[0].Label == x.Second.Label) / rows.Count;
        var pytorch = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TinySiglip, "training-report.json"))).RootElement.GetProperty("pytorch_zero_shot_top1").GetDouble();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine top-1 {accuracy:P2}; PyTorch {pytorch:P2}"));
        Assert.True(accuracy >= 0.90, $"zero-shot top-1 {accuracy:P2} is under 90%");
        Assert.True(Math.Abs(accuracy - pytorch) <= 0.01, $"engine {accuracy:P2} and PyTorch {pytorch:P2} differ by more than 1 point");
        // Sigmoid probabilities are each label's own yes/no: their sum is not 1.
        Assert.Contains(results, r => Math.Abs(r.Labels.Sum(l => l.Probability) - 1) > 0.05);
    }

    private static float[] Floats(JsonElement e) => [.. e.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())];
}
