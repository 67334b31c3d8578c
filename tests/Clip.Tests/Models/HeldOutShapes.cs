using ClipSearch.Clip.Imaging;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Clip.Tests.Models;

/// <summary>
/// tests/data/tiny-clip-heldout (320 generated images, seed 777, never seen in training) as the accuracy tests read it:
/// each file with its label, and their embeddings by a model through the engine (decode, preprocess, ONNX).
/// </summary>
internal static class HeldOutShapes
{
    public static string Folder => TestPaths.Data("tiny-clip-heldout");

    /// <summary>(file, label) in labels.tsv order.</summary>
    public static List<(string File, string Label)> Rows() =>
        [.. File.ReadAllLines(Path.Combine(Folder, "labels.tsv")).Skip(1).Select(l => l.Split('\t')).Select(r => (r[0], r[1]))];

    /// <summary>The distinct labels, ordinal order.</summary>
    public static List<string> Labels(IEnumerable<(string File, string Label)> rows) => [.. rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Each file's image embedding by <paramref name="model"/>, in order.</summary>
    public static float[][] Embed(ClipModel model, IEnumerable<string> files)
    {
        var decoder = new SafeImageDecoder(new ImageDecodeOptions());
        return model.EncodePixelTensors([.. files.Select(file =>
        {
            var result = decoder.DecodeFile(Path.Combine(Folder, file));
            using var image = result.Image ?? throw new InvalidOperationException($"{file}: {result.Failure}");
            return model.Preprocessor.Preprocess(image);
        })]);
    }
}
