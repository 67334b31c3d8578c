using ClipSearch.Clip;
using ClipSearch.Clip.Models;

namespace ClipSearch.Indexer.Output;

/// <summary><c>clipsearch models inspect --json</c>: what loading the model found.</summary>
internal sealed record ModelsInspectOutput(string ModelId, string Folder, string Layout, string? Variant, IReadOnlyList<string?> AvailableVariants, string Device,
    int Dimension, float LogitScale, int ContextLength, TowerOutput Vision, TowerOutput Text, PreprocessingOutput Preprocessing)
{
    public static ModelsInspectOutput From(ClipModel m)
    {
        var f = m.Folder;
        var p = f.Preprocessing;
        return new(f.ModelId, f.Root, LayoutName(f.Layout), f.Variant, f.AvailableVariants, m.Device.ToString().ToLowerInvariant(), m.Dimension, f.LogitScale,
            m.ContextLength, TowerOutput.From(f.VisionModelPath, m.VisionInputs, m.VisionOutputs, m.VisionTensors.Embeddings),
            TowerOutput.From(f.TextModelPath, m.TextInputs, m.TextOutputs, m.TextTensors.Embeddings),
            new PreprocessingOutput(p.ResizeShortestEdge, p.CropSize, p.Mean, p.Std, f.PreprocessorConfigPath));
    }

    /// <summary>The layout as both the text and the JSON output name it.</summary>
    public static string LayoutName(ModelLayout layout) => layout == ModelLayout.HuggingFace ? "hugging-face" : "fastembed";
}
