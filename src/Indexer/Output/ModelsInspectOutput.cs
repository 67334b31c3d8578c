using ClipSearch.Clip;
using ClipSearch.Clip.Models;
using ClipSearch.Core.ZeroShot;

namespace ClipSearch.Indexer.Output;

/// <summary><c>clipsearch models inspect --json</c>: what loading the model found. <paramref name="Vision"/> is null for a text tower alone.</summary>
internal sealed record ModelsInspectOutput(string ModelId, string Family, string Folder, string Layout, string? Variant, IReadOnlyList<string?> AvailableVariants,
    string Device, int Dimension, string? SharedSpace, IReadOnlyList<string> Languages, float LogitScale, ScoringOutput Scoring, int ContextLength,
    TokenizerOutput Tokenizer, TowerOutput? Vision, TowerOutput Text, PreprocessingOutput Preprocessing)
{
    public static ModelsInspectOutput From(ClipModel m)
    {
        var f = m.Folder;
        var p = f.Preprocessing;
        var s = f.Scoring;
        return new(f.ModelId, ModelFamilies.Name(f.Family), f.Root, LayoutName(f.Layout), f.Variant, f.AvailableVariants, m.Device.ToString().ToLowerInvariant(),
            m.Dimension, f.SharedSpace, f.Languages, f.LogitScale,
            new ScoringOutput(s.Kind == ZeroShotScoringKind.Sigmoid ? "sigmoid" : "softmax", s.LogitScale, s.LogitBias, s.Missing), m.ContextLength,
            new TokenizerOutput(m.Tokenizer.Kind, f.Tokenizer.Path, f.Tokenizer.Cleaning.ToString().ToLowerInvariant(), m.Tokenizer.VocabularySize),
            f.VisionModelPath is { } vision && m.VisionTensors is { } v ? TowerOutput.From(vision, m.VisionInputs, m.VisionOutputs, v.Embeddings) : null,
            TowerOutput.From(f.TextModelPath, m.TextInputs, m.TextOutputs, m.TextTensors.Embeddings),
            new PreprocessingOutput(p.Mode == ResizeMode.Squash ? "squash" : "shortest-edge", p.ResizeShortestEdge, p.CropSize,
                p.Resample == Resample.Bilinear ? "bilinear" : "bicubic", p.Normalize, p.Mean, p.Std, f.PreprocessorConfigPath));
    }

    /// <summary>The layout as both the text and the JSON output name it.</summary>
    public static string LayoutName(ModelLayout layout) => layout switch
    {
        ModelLayout.HuggingFace => "hugging-face",
        ModelLayout.OpenClip => "open-clip",
        _ => "fastembed",
    };
}
