using System.Globalization;
using System.Text.Json;
using ClipSearch.Clip.Inference;
using ClipSearch.Core;
using ClipSearch.Tests.Shared;
using Xunit.Abstractions;

namespace ClipSearch.Clip.Tests.Models;

/// <summary>
/// models/tiny-clip-multilingual (a text-only tower in immich's M-CLIP layout, distilled onto models/tiny-clip's text
/// tower) against its references, made by tools/tiny-clip/train_multilingual.py (or multilingual_reference.py from the committed export): python sentencepiece's token ids,
/// PyTorch's embeddings, and zero-shot top-1 on the held-out images embedded by models/tiny-clip, labels typed in each language.
/// </summary>
public sealed class TinyClipMultilingualTests(ITestOutputHelper output)
{
    private static readonly ClipEngineOptions Cpu = new() { Device = ExecutionDevice.Cpu };

    [Fact]
    public void Tokenize_ReferenceCases_MatchPythonSentencePiece()
    {
        using var model = ClipModel.Load(TestPaths.TinyClipMultilingual, Cpu);
        TokenReference.AssertMatches(model, "tiny-clip-multilingual-tokens.json");
    }

    [Fact]
    public void Encode_ReferenceTexts_MatchPyTorch()
    {
        var path = TestPaths.Data("reference", "tiny-clip-multilingual-embeddings.json");
        using var model = ClipModel.Load(TestPaths.TinyClipMultilingual, Cpu);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var texts = doc.RootElement.GetProperty("texts").EnumerateArray().ToList();
        var actual = model.Encode([.. texts.Select(t => t.GetProperty("text").GetString()!)]);
        for (var i = 0; i < texts.Count; i++)
        {
            var expected = texts[i].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            var cosine = VectorMath.Cosine(expected, actual[i]);
            Assert.True(cosine >= 0.9999f, $"{texts[i].GetProperty("text")}: cosine {cosine} with PyTorch's embedding");
        }
    }

    [Fact]
    public void ZeroShot_LabelsTypedInEachLanguage_FindTinyClipsImagesAtLeast90Percent()
    {
        var path = TestPaths.Data("reference", "tiny-clip-multilingual-labels.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var labels = doc.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToList();
        var rows = HeldOutShapes.Rows();
        float[][] images;
        using (var imageModel = ClipModel.Load(TestPaths.TinyClip, Cpu))
        {
            images = HeldOutShapes.Embed(imageModel, rows.Select(r => r.File));
        }

        using var textModel = ClipModel.Load(TestPaths.TinyClipMultilingual, Cpu);
        Assert.Equal("clipsearch/tiny-clip-shapes", textModel.SharedSpace);
        var languages = doc.RootElement.GetProperty("phrases").EnumerateObject().ToList();
        Assert.Equal(["en", "fr", "de", "es", "ru", "zh"], languages.Select(l => l.Name));
        foreach (var language in languages)
        {
            var text = textModel.Encode([.. language.Value.EnumerateArray().Select(e => e.GetString()!)]);
            var correct = rows.Select((r, i) => labels[Enumerable.Range(0, labels.Count).MaxBy(k => VectorMath.Cosine(images[i], text[k]))] == r.Label).Count(c => c);
            var accuracy = (double)correct / rows.Count;
            var pytorch = doc.RootElement.GetProperty("pytorch_top1").GetProperty(language.Name).GetDouble();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{language.Name}: engine {accuracy:P2}, PyTorch {pytorch:P2}"));
            Assert.True(accuracy >= 0.90, $"{language.Name}: zero-shot top-1 {accuracy:P2} is under 90%");
            Assert.True(Math.Abs(accuracy - pytorch) <= 0.01, $"{language.Name}: engine {accuracy:P2} and PyTorch {pytorch:P2} differ by more than 1 point");
        }
    }
}
