using System.Globalization;
using System.Text.Json;
using ClipSearch.Clip.Imaging;
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
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Data("reference", "tiny-clip-multilingual-tokens.json")));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToList();
        var mismatches = new List<string>();
        foreach (var c in cases)
        {
            var text = c.GetProperty("text").GetString()!;
            var expected = c.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var row = model.Tokenizer.Tokenize(text);
            if (!row.Ids.SequenceEqual(expected) || row.Length != c.GetProperty("ids").GetArrayLength())
            {
                mismatches.Add($"{JsonSerializer.Serialize(text)}: expected [{string.Join(",", expected.Take(20))}] got [{string.Join(",", row.Ids.Take(20))}]");
            }
        }

        Assert.True(cases.Count >= 300, $"only {cases.Count} reference cases");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases.Count} differ:\n{string.Join("\n", mismatches.Take(10))}");
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
        var folder = TestPaths.Data("tiny-clip-heldout");
        var rows = File.ReadAllLines(Path.Combine(folder, "labels.tsv")).Skip(1).Select(l => l.Split('\t')).ToList();
        float[][] images;
        using (var imageModel = ClipModel.Load(TestPaths.TinyClip, Cpu))
        {
            var decoder = new SafeImageDecoder(new ImageDecodeOptions());
            images = imageModel.EncodePixelTensors([.. rows.Select(r =>
            {
                var result = decoder.DecodeFile(Path.Combine(folder, r[0]));
                using var image = result.Image ?? throw new InvalidOperationException($"{r[0]}: {result.Failure}");
                return imageModel.Preprocessor.Preprocess(image);
            })]);
        }

        using var textModel = ClipModel.Load(TestPaths.TinyClipMultilingual, Cpu);
        Assert.Equal("clipsearch/tiny-clip-shapes", textModel.SharedSpace);
        var languages = doc.RootElement.GetProperty("phrases").EnumerateObject().ToList();
        Assert.Equal(["en", "fr", "de", "es", "ru", "zh"], languages.Select(l => l.Name));
        foreach (var language in languages)
        {
            var text = textModel.Encode([.. language.Value.EnumerateArray().Select(e => e.GetString()!)]);
            var correct = rows.Select((r, i) => labels[Enumerable.Range(0, labels.Count).MaxBy(k => VectorMath.Cosine(images[i], text[k]))] == r[1]).Count(c => c);
            var accuracy = (double)correct / rows.Count;
            var pytorch = doc.RootElement.GetProperty("pytorch_top1").GetProperty(language.Name).GetDouble();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{language.Name}: engine {accuracy:P2}, PyTorch {pytorch:P2}"));
            Assert.True(accuracy >= 0.90, $"{language.Name}: zero-shot top-1 {accuracy:P2} is under 90%");
            Assert.True(Math.Abs(accuracy - pytorch) <= 0.01, $"{language.Name}: engine {accuracy:P2} and PyTorch {pytorch:P2} differ by more than 1 point");
        }
    }
}
