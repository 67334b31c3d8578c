using System.Globalization;
using System.Text.Json;
using ClipSearch.Clip.Inference;
using ClipSearch.Core;
using ClipSearch.Tests.Shared;
using Xunit.Abstractions;

namespace ClipSearch.Clip.Tests.Models;

/// <summary>
/// The bundled model's zero-shot accuracy, run through the engine (decode, preprocess, ONNX) on the held-out
/// generated set tests/data/tiny-clip-heldout (seed 777, not seen in training), with "a photo of a {}.".
/// </summary>
public sealed class TinyClipAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void ZeroShot_HeldOutShapes_AtLeast90PercentAndAgreesWithPyTorch()
    {
        var rows = HeldOutShapes.Rows();
        var labels = HeldOutShapes.Labels(rows);
        using var model = ClipModel.Load(TestPaths.TinyClip, new ClipEngineOptions { Device = ExecutionDevice.Cpu });
        var labelEmbeddings = model.Encode(labels.Select(l => $"a photo of a {l}.").ToList());
        var imageEmbeddings = HeldOutShapes.Embed(model, rows.Select(r => r.File));

        var correct = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var best = Enumerable.Range(0, labels.Count).MaxBy(k => VectorMath.Cosine(imageEmbeddings[i], labelEmbeddings[k]));
            if (labels[best] == rows[i].Label)
            {
                correct++;
            }
            else
            {
                output.WriteLine($"{rows[i].File}: predicted {labels[best]}");
            }
        }

        var accuracy = (double)correct / rows.Count;
        var pytorch = ReadPyTorchAccuracy();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine top-1 {accuracy:P2} ({correct}/{rows.Count}); PyTorch {pytorch:P2}"));
        Assert.Equal(320, rows.Count);
        Assert.Equal(32, labels.Count);
        Assert.True(accuracy >= 0.90, $"zero-shot top-1 {accuracy:P2} is under 90%");
        Assert.True(Math.Abs(accuracy - pytorch) <= 0.01, $"engine {accuracy:P2} and PyTorch {pytorch:P2} differ by more than 1 point");
    }

    private static double ReadPyTorchAccuracy()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TinyClip, "training-report.json")));
        return doc.RootElement.GetProperty("pytorch_zero_shot_top1").GetDouble();
    }
}
