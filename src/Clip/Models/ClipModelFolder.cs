using System.Text.Json;

namespace ClipSearch.Clip.Models;

/// <summary>
/// The files of one CLIP model on disk, in the Hugging Face / Transformers.js layout or fastembed's
/// (see <see cref="ModelLayout"/>). Only locates and validates files; the ONNX graphs are read by
/// <see cref="ClipModel"/>.
/// </summary>
public sealed record ClipModelFolder
{
    /// <summary>The logit multiplier CLIP models converge to (exp of the clamped logit_scale 4.6052).</summary>
    public const float DefaultLogitScale = 100f;

    public required string Root { get; init; }

    public required ModelLayout Layout { get; init; }

    /// <summary>A stable identifier: config.json's <c>_name_or_path</c>, else the folder name; with the variant appended.</summary>
    public required string ModelId { get; init; }

    /// <summary>The selected weight variant ("quantized", "fp16", ...) or null for the full-precision files.</summary>
    public string? Variant { get; init; }

    /// <summary>Every variant present for both towers (null = the plain files).</summary>
    public required IReadOnlyList<string?> AvailableVariants { get; init; }

    public required string VisionModelPath { get; init; }

    public required string TextModelPath { get; init; }

    public required string VocabPath { get; init; }

    public required string MergesPath { get; init; }

    public required PreprocessorConfig Preprocessing { get; init; }

    /// <summary>Where <see cref="Preprocessing"/> came from: a file path, or null for CLIP's defaults.</summary>
    public string? PreprocessorConfigPath { get; init; }

    /// <summary>exp(config.json <c>logit_scale</c>) when present, else <see cref="DefaultLogitScale"/>.</summary>
    public required float LogitScale { get; init; }

    /// <summary>config.json <c>text_config.max_position_embeddings</c> when present.</summary>
    public int? TextContextLength { get; init; }

    /// <summary>
    /// Finds a model in <paramref name="path"/>, choosing weight <paramref name="variant"/> when given; without one,
    /// the default (full-precision) files, or the only variant both towers have when the folder holds just one.
    /// </summary>
    /// <exception cref="ClipModelException">The folder is not a CLIP model in a known layout, or a file is missing or malformed.</exception>
    public static ClipModelFolder Open(string path, string? variant = null)
    {
        var root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
        {
            throw new ClipModelException(root, "a model folder (Hugging Face layout with onnx/vision_model.onnx and onnx/text_model.onnx, or fastembed's vision and text folders), but it does not exist");
        }

        if (Directory.Exists(Path.Combine(root, "onnx")))
        {
            return OpenHuggingFace(root, variant);
        }

        var towers = Directory.EnumerateDirectories(root)
            .Where(d => Directory.EnumerateFiles(d, "model*.onnx").Any())
            .ToList();
        if (towers.Count > 0)
        {
            return OpenFastEmbed(root, towers, variant);
        }

        throw new ClipModelException(root, "a CLIP model folder: onnx/vision_model.onnx + onnx/text_model.onnx (Hugging Face layout) or a vision and a text folder with model.onnx each (fastembed layout); found neither");
    }

    private static ClipModelFolder OpenHuggingFace(string root, string? variant)
    {
        var onnx = Path.Combine(root, "onnx");
        return Create(new Towers(root, ModelLayout.HuggingFace, onnx, "vision_model", onnx, "text_model", root, "beside onnx/"),
            Path.Combine(root, "config.json"), Path.Combine(root, "preprocessor_config.json"), variant);
    }

    private static ClipModelFolder OpenFastEmbed(string root, List<string> towers, string? variant)
    {
        static bool HasVocab(string d) => File.Exists(Path.Combine(d, "vocab.json"));
        var textDir = towers.FirstOrDefault(d => Path.GetFileName(d).EndsWith("text", StringComparison.OrdinalIgnoreCase))
            ?? towers.FirstOrDefault(HasVocab);
        var visionDir = towers.FirstOrDefault(d => Path.GetFileName(d).EndsWith("vision", StringComparison.OrdinalIgnoreCase))
            ?? towers.FirstOrDefault(d => d != textDir && !HasVocab(d));
        if (textDir is null || visionDir is null || textDir == visionDir)
        {
            throw new ClipModelException(root, $"fastembed layout with a vision folder and a text folder (names ending in 'vision' and 'text', tokenizer files in the text one); found model.onnx in: {string.Join(", ", towers.Select(Path.GetFileName))}");
        }

        return Create(new Towers(root, ModelLayout.FastEmbed, visionDir, "model", textDir, "model", textDir, "beside the text model"),
            Path.Combine(textDir, "config.json"), Path.Combine(visionDir, "preprocessor_config.json"), variant);
    }

    private sealed record Towers(string Root, ModelLayout Layout, string VisionDir, string VisionStem, string TextDir, string TextStem,
        string TokenizerDir, string TokenizerWhere);

    private static ClipModelFolder Create(Towers t, string configPath, string preprocessorPath, string? variant)
    {
        var vision = Variants(t.VisionDir, t.VisionStem);
        var text = Variants(t.TextDir, t.TextStem);
        var available = vision.Intersect(text).OrderBy(v => v ?? string.Empty, StringComparer.Ordinal).ToList();
        if (variant is null && available is [{ } only])
        {
            variant = only; // the folder holds one set of weights (say a quantized-only pull): that is the model
        }

        var visionPath = SelectVariant(t.VisionDir, t.VisionStem, vision, variant);
        var textPath = SelectVariant(t.TextDir, t.TextStem, text, variant);
        var config = ReadConfig(configPath);
        var (pre, prePath) = ReadPreprocessor(preprocessorPath);
        return new ClipModelFolder
        {
            Root = t.Root,
            Layout = t.Layout,
            ModelId = Id(config.NameOrPath ?? Path.GetFileName(t.Root), variant),
            Variant = variant,
            AvailableVariants = available,
            VisionModelPath = visionPath,
            TextModelPath = textPath,
            VocabPath = RequireFile(Path.Combine(t.TokenizerDir, "vocab.json"), $"the CLIP BPE vocabulary vocab.json {t.TokenizerWhere}"),
            MergesPath = RequireFile(Path.Combine(t.TokenizerDir, "merges.txt"), $"the CLIP BPE merges merges.txt {t.TokenizerWhere}"),
            Preprocessing = pre,
            PreprocessorConfigPath = prePath,
            LogitScale = config.LogitScale,
            TextContextLength = config.ContextLength,
        };
    }

    private static string Id(string name, string? variant) => variant is null ? name : $"{name}:{variant}";

    /// <summary>Variants of <c>{stem}.onnx</c> in a folder: null for the plain file, "quantized" for <c>{stem}_quantized.onnx</c>.</summary>
    private static List<string?> Variants(string dir, string stem) => Directory.EnumerateFiles(dir, stem + "*.onnx")
        .Select(Path.GetFileNameWithoutExtension)
        .Select(name => name == stem ? null : name!.StartsWith(stem + "_", StringComparison.Ordinal) ? name[(stem.Length + 1)..] : "\0")
        .Where(v => v != "\0")
        .ToList();

    private static string SelectVariant(string dir, string stem, List<string?> present, string? variant)
    {
        var path = Path.Combine(dir, variant is null ? stem + ".onnx" : $"{stem}_{variant}.onnx");
        if (File.Exists(path))
        {
            return path;
        }

        var names = present.Select(v => v ?? "(default)").OrderBy(v => v, StringComparer.Ordinal);
        throw new ClipModelException(path, $"the {(variant is null ? "default" : $"'{variant}'")} weights of this tower; variants present: {(present.Count == 0 ? "none" : string.Join(", ", names))} (the model's variant setting chooses one)");
    }

    private static string RequireFile(string path, string what) =>
        File.Exists(path) ? path : throw new ClipModelException(path, what + ", but the file is missing");

    private static (PreprocessorConfig Config, string? Path) ReadPreprocessor(string path) =>
        File.Exists(path) ? (PreprocessorConfig.Load(path), path) : (PreprocessorConfig.ClipDefault, null);

    private static (string? NameOrPath, float LogitScale, int? ContextLength) ReadConfig(string path)
    {
        if (!File.Exists(path))
        {
            return (null, DefaultLogitScale, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            string? name = root.TryGetProperty("_name_or_path", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            // config.json's logit_scale_init_value is only the training start value (2.6592 -> 14.3); the
            // trained value is in the weights, which ONNX exports drop, so only an explicit logit_scale counts.
            var scale = root.TryGetProperty("logit_scale", out var s) && s.ValueKind == JsonValueKind.Number
                ? MathF.Exp(s.GetSingle())
                : DefaultLogitScale;
            int? context = root.TryGetProperty("text_config", out var tc) && tc.ValueKind == JsonValueKind.Object
                && tc.TryGetProperty("max_position_embeddings", out var mpe) && mpe.ValueKind == JsonValueKind.Number
                ? mpe.GetInt32()
                : null;
            return (string.IsNullOrWhiteSpace(name) ? null : name, scale, context);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ClipModelException(path, $"a valid config.json ({e.Message})", e);
        }
    }
}
