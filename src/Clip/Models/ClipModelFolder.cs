using System.Text.Json;
using ClipSearch.Clip.Tokenization;
using ClipSearch.Core.ZeroShot;

namespace ClipSearch.Clip.Models;

/// <summary>
/// The files of one model on disk, in one of the published layouts (see <see cref="ModelLayout"/>), and what they say
/// about it: its family, tokenizer, image transform, scoring and the image space it shares. Only locates, reads and
/// validates files; the ONNX graphs are read by <see cref="ClipModel"/>.
/// </summary>
public sealed record ClipModelFolder
{
    /// <summary>The logit multiplier CLIP models converge to (exp of the clamped logit_scale 4.6052).</summary>
    public const float DefaultLogitScale = 100f;

    public required string Root { get; init; }

    public required ModelLayout Layout { get; init; }

    public required ModelFamily Family { get; init; }

    /// <summary>
    /// A stable identifier: clipsearch-model.json's <c>id</c>, else config.json's <c>_name_or_path</c>, else the folder
    /// name; with the variant appended.
    /// </summary>
    public required string ModelId { get; init; }

    /// <summary>
    /// The model whose image space this model's embeddings share, when the folder says so (clipsearch-model.json's
    /// <c>space</c>): its queries are accepted by collections indexed with that model. Null: only its own.
    /// </summary>
    public string? SharedSpace => SharedSpaces.Count > 0 ? SharedSpaces[0] : null;

    /// <summary>
    /// <see cref="SharedSpace"/> and the other ids of the same image space (clipsearch-model.json's <c>space</c> as a
    /// list): collections indexed with any of them accept this model's queries.
    /// </summary>
    public IReadOnlyList<string> SharedSpaces { get; init; } = [];

    /// <summary>Languages the text tower was trained on, when the folder says (clipsearch-model.json).</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>The selected weight variant ("quantized", "fp16", ...) or null for the full-precision files.</summary>
    public string? Variant { get; init; }

    /// <summary>Every variant present for both towers (null = the plain files).</summary>
    public required IReadOnlyList<string?> AvailableVariants { get; init; }

    /// <summary>The image tower, or null for a text tower alone (a multilingual tower aligned to another model's image space).</summary>
    public string? VisionModelPath { get; init; }

    public required string TextModelPath { get; init; }

    public required TokenizerFiles Tokenizer { get; init; }

    /// <summary>The image transform (CLIP's defaults when the folder has no configuration; unused by a text tower alone).</summary>
    public required PreprocessorConfig Preprocessing { get; init; }

    /// <summary>Where <see cref="Preprocessing"/> came from: a file path, or null for CLIP's defaults.</summary>
    public string? PreprocessorConfigPath { get; init; }

    /// <summary>How zero-shot turns cosines into probabilities: softmax with exp(logit_scale) for CLIP, the model's sigmoid for SigLIP.</summary>
    public required ZeroShotScoring Scoring { get; init; }

    /// <summary>The softmax/sigmoid multiplier (exp of the model's logit_scale; 1 when a sigmoid model's is unknown).</summary>
    public float LogitScale => Scoring.LogitScale;

    /// <summary>The row length the tokenizer produces (77 for CLIP, 64 for SigLIP, or as the folder's configuration says).</summary>
    public int TextContextLength => Tokenizer.ContextLength;

    /// <summary>True for a text tower alone: it queries collections of <see cref="SharedSpace"/> but cannot embed images.</summary>
    public bool IsTextOnly => VisionModelPath is null;

    /// <summary>Path of the CLIP BPE vocabulary, or null when the tokenizer is another kind.</summary>
    public string? VocabPath => Tokenizer.Kind == TokenizerKind.ClipBpe ? Tokenizer.Path : null;

    /// <summary>
    /// Finds a model in <paramref name="path"/>, choosing weight <paramref name="variant"/> when given; without one,
    /// the default (full-precision) files, or the only variant both towers have when the folder holds just one.
    /// </summary>
    /// <exception cref="ClipModelException">The folder is not a model in a known layout, or a file is missing or malformed.</exception>
    public static ClipModelFolder Open(string path, string? variant = null)
    {
        var root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
        {
            throw new ClipModelException(root, $"a model folder ({Layouts}), but it does not exist");
        }

        if (Directory.Exists(Path.Combine(root, "onnx")))
        {
            return OpenHuggingFace(root, variant);
        }

        if (File.Exists(Path.Combine(root, "textual", "model.onnx")) || File.Exists(Path.Combine(root, "visual", "model.onnx")))
        {
            return OpenOpenClip(root, variant);
        }

        var towers = Directory.EnumerateDirectories(root)
            .Where(d => Directory.EnumerateFiles(d, "model*.onnx").Any())
            .ToList();
        if (towers.Count > 0)
        {
            return OpenFastEmbed(root, towers, variant);
        }

        throw new ClipModelException(root, $"a model folder in a known layout ({Layouts}); found none of them");
    }

    private const string Layouts = "Hugging Face: onnx/vision_model.onnx + onnx/text_model.onnx; immich/open_clip: visual/model.onnx + textual/model.onnx"
        + " (or textual/ alone for a text tower); fastembed: a vision and a text folder with model.onnx each";

    private static ClipModelFolder OpenHuggingFace(string root, string? variant)
    {
        var onnx = Path.Combine(root, "onnx");
        var config = HuggingFaceConfig.Read(Path.Combine(root, "config.json"));
        var preprocessor = Path.Combine(root, "preprocessor_config.json");
        return Create(new Towers(root, ModelLayout.HuggingFace, onnx, "vision_model", onnx, "text_model", root), config, preprocessor, PreprocessorConfig.Load, variant);
    }

    private static ClipModelFolder OpenFastEmbed(string root, List<string> towers, string? variant)
    {
        static bool HasTokenizer(string d) => File.Exists(Path.Combine(d, "vocab.json")) || File.Exists(Path.Combine(d, "tokenizer.json"));
        var textDir = towers.FirstOrDefault(d => Path.GetFileName(d).EndsWith("text", StringComparison.OrdinalIgnoreCase))
            ?? towers.FirstOrDefault(HasTokenizer);
        var visionDir = towers.FirstOrDefault(d => Path.GetFileName(d).EndsWith("vision", StringComparison.OrdinalIgnoreCase))
            ?? towers.FirstOrDefault(d => d != textDir && !HasTokenizer(d));
        if (textDir is null || visionDir is null || textDir == visionDir)
        {
            throw new ClipModelException(root, $"fastembed layout with a vision folder and a text folder (names ending in 'vision' and 'text', tokenizer files in the text one); found model.onnx in: {string.Join(", ", towers.Select(Path.GetFileName))}");
        }

        var config = HuggingFaceConfig.Read(Path.Combine(textDir, "config.json"));
        return Create(new Towers(root, ModelLayout.FastEmbed, visionDir, "model", textDir, "model", textDir), config,
            Path.Combine(visionDir, "preprocessor_config.json"), PreprocessorConfig.Load, variant);
    }

    private static ClipModelFolder OpenOpenClip(string root, string? variant)
    {
        var config = HuggingFaceConfig.ReadOpenClip(Path.Combine(root, "config.json"));
        var visual = Path.Combine(root, "visual");
        var textual = Path.Combine(root, "textual");
        if (!File.Exists(Path.Combine(textual, "model.onnx")))
        {
            throw new ClipModelException(Path.Combine(textual, "model.onnx"), "the text tower of an open_clip export (textual/model.onnx beside visual/model.onnx), but the file is missing");
        }

        var hasVisual = File.Exists(Path.Combine(visual, "model.onnx"));
        return Create(new Towers(root, ModelLayout.OpenClip, hasVisual ? visual : null, "model", textual, "model", textual), config,
            Path.Combine(visual, "preprocess_cfg.json"), PreprocessorConfig.LoadOpenClip, variant);
    }

    private sealed record Towers(string Root, ModelLayout Layout, string? VisionDir, string VisionStem, string TextDir, string TextStem, string TokenizerDir);

    private static ClipModelFolder Create(Towers t, HuggingFaceConfig config, string preprocessorPath, Func<string, PreprocessorConfig> readPreprocessor,
        string? variant)
    {
        var manifest = ModelManifest.Read(t.Root);
        var text = Variants(t.TextDir, t.TextStem);
        var available = (t.VisionDir is null ? text : Variants(t.VisionDir, t.VisionStem).Intersect(text))
            .OrderBy(v => v ?? string.Empty, StringComparer.Ordinal).ToList();
        if (variant is null && available is [{ } only])
        {
            variant = only; // the folder holds one set of weights (say a quantized-only pull): that is the model
        }

        var visionPath = t.VisionDir is null ? null : SelectVariant(t.VisionDir, t.VisionStem, Variants(t.VisionDir, t.VisionStem), variant);
        var textPath = SelectVariant(t.TextDir, t.TextStem, text, variant);
        var family = config.Family;
        var tokenizer = TokenizerFiles.Find(t.TokenizerDir, family, config.Canonicalize, c => config.ContextLength
            ?? (family == ModelFamily.SigLip && c.ModelMaxLength is > 0 and <= 1024 ? c.ModelMaxLength : null)
            ?? (family == ModelFamily.SigLip ? 64 : ClipTokenizer.DefaultContextLength));
        var (pre, prePath) = File.Exists(preprocessorPath) ? (readPreprocessor(preprocessorPath), preprocessorPath) : (PreprocessorConfig.ClipDefault, null);
        if (t.VisionDir is null && manifest.Space is null)
        {
            throw new ClipModelException(t.Root, $"a text tower alone (no image tower) that names the image space it was trained to share: \"space\" in {ModelManifest.FileName}");
        }

        return new ClipModelFolder
        {
            Root = t.Root,
            Layout = t.Layout,
            Family = family,
            ModelId = Id(manifest.Id ?? config.NameOrPath ?? Path.GetFileName(t.Root), variant),
            SharedSpaces = manifest.Spaces,
            Languages = manifest.Languages,
            Variant = variant,
            AvailableVariants = available,
            VisionModelPath = visionPath,
            TextModelPath = textPath,
            Tokenizer = tokenizer,
            Preprocessing = pre,
            PreprocessorConfigPath = prePath,
            Scoring = ScoringOf(family, config, manifest, t.Root),
        };
    }

    private static ZeroShotScoring ScoringOf(ModelFamily family, HuggingFaceConfig config, ModelManifest manifest, string root)
    {
        if (family == ModelFamily.Clip)
        {
            return ZeroShotScoring.Softmax(config.LogitScale is { } s ? MathF.Exp(s) : DefaultLogitScale);
        }

        if (manifest is { LogitScale: { } scale, LogitBias: { } bias })
        {
            return ZeroShotScoring.Sigmoid(MathF.Exp(scale), bias);
        }

        if (config is { LogitScale: { } cs, LogitBias: { } cb })
        {
            return ZeroShotScoring.Sigmoid(MathF.Exp(cs), cb);
        }

        return ZeroShotScoring.SigmoidWithout(
            $"this SigLIP model's folder ({root}) does not record its trained logit_scale and logit_bias, which its split ONNX towers do not carry, so its"
            + $" probabilities are unknown (ranking by similarity still works). `clipsearch models pull` records them from the original checkpoint; or write them"
            + $" into {ModelManifest.FileName} as {{\"scoring\": {{\"logit_scale\": ..., \"logit_bias\": ...}}}}");
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

    /// <summary>What a config.json says: Hugging Face's (model_type, _name_or_path, logit_scale, text_config) or open_clip's (init_logit_bias, text_cfg).</summary>
    private sealed record HuggingFaceConfig(string? NameOrPath, ModelFamily Family, float? LogitScale, float? LogitBias, int? ContextLength, bool Canonicalize)
    {
        private static readonly HuggingFaceConfig None = new(null, ModelFamily.Clip, null, null, null, false);

        public static HuggingFaceConfig Read(string path) => Parse(path, root =>
        {
            var family = Text(root, "model_type") switch
            {
                null or "clip" => ModelFamily.Clip,
                "siglip" or "siglip2" => ModelFamily.SigLip,
                var other => throw new ClipModelException(path, $"model_type \"clip\", \"siglip\" or \"siglip2\", found \"{other}\""),
            };
            // config.json's logit_scale_init_value is only the training start value (2.6592 -> 14.3); the trained
            // value is in the weights, which ONNX exports drop, so only an explicit logit_scale counts.
            int? context = Int(Object(root, "text_config"), "max_position_embeddings");
            return new HuggingFaceConfig(Text(root, "_name_or_path"), family, Float(root, "logit_scale"), Float(root, "logit_bias"), context, false);
        });

        /// <summary>open_clip's model config (immich's config.json): sigmoid training shows as init_logit_bias, SigLIP's cleaning as text_cfg.tokenizer_kwargs.clean.</summary>
        public static HuggingFaceConfig ReadOpenClip(string path) => Parse(path, root =>
        {
            var textCfg = Object(root, "text_cfg");
            var clean = Text(Object(textCfg, "tokenizer_kwargs"), "clean");
            var family = root.TryGetProperty("init_logit_bias", out _) ? ModelFamily.SigLip : ModelFamily.Clip;
            return new HuggingFaceConfig(null, family, null, null, Int(textCfg, "context_length"), clean == "canonicalize");
        });

        private static HuggingFaceConfig Parse(string path, Func<JsonElement, HuggingFaceConfig> read)
        {
            if (!File.Exists(path))
            {
                return None;
            }

            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(path));
                return read(doc.RootElement);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IOException)
            {
                throw new ClipModelException(path, $"a valid config.json ({e.Message})", e);
            }
        }

        private static JsonElement Object(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;

        private static string? Text(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString() : null;

        private static float? Float(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetSingle() : null;

        private static int? Int(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
    }
}
