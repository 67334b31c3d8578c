namespace ClipSearch.Clip.Models.Download;

/// <summary>
/// The models <c>clipsearch models pull</c> knows, with the files each variant needs. File names follow the
/// publishers' exporters (Transformers.js: <c>onnx/{vision,text}_model{suffix}.onnx</c>, suffixes from its dtype
/// table; immich: <c>visual/</c> and <c>textual/</c> from its export code; fastembed: one model.onnx per tower);
/// the README's model table says which names were read from which source and which could not be checked here.
/// </summary>
public static partial class ModelCatalogue
{
    public const string Full = "full";
    public const string Quantized = "quantized";
    public const string Fp16 = "fp16";

    /// <summary>The ids under which OpenAI's ViT-B/32 weights are published here: one image space, whichever export filled a collection.</summary>
    public static IReadOnlyList<string> OpenAiVitB32 { get; } = ["openai/clip-vit-base-patch32", "immich-app/ViT-B-32__openai", "Qdrant/clip-ViT-B-32"];

    public static IReadOnlyList<CatalogueModel> Models { get; } =
    [
        Xenova("openai/clip-vit-base-patch32", "Xenova/clip-vit-base-patch32", "OpenAI CLIP ViT-B/32 (Transformers.js export by Xenova)", 512) with
        {
            Spaces = Others(OpenAiVitB32, "openai/clip-vit-base-patch32"),
            ApproximateSizes = new Dictionary<string, long> { [Full] = 606_000_000, [Quantized] = 155_000_000 },
            SizeSource = "the project's design brief: 352 MB vision + 254 MB text, ~90 + 65 MB quantized",
        },
        Xenova("openai/clip-vit-base-patch16", "Xenova/clip-vit-base-patch16", "OpenAI CLIP ViT-B/16 (Transformers.js export by Xenova); slower, more accurate", 512),
        new("Qdrant/clip-ViT-B-32", "OpenAI CLIP ViT-B/32 as packaged for fastembed by Qdrant (Qdrant/clip-ViT-B-32-vision + -text)", 512,
            new Dictionary<string, IReadOnlyList<ModelFile>>
            {
                [Full] =
                [
                    .. Files("Qdrant/clip-ViT-B-32-vision", "clip-ViT-B-32-vision", "model.onnx", "config.json", "preprocessor_config.json"),
                    .. Files("Qdrant/clip-ViT-B-32-text", "clip-ViT-B-32-text", "model.onnx", "config.json", "tokenizer.json", "tokenizer_config.json",
                        "special_tokens_map.json", "vocab.json", "merges.txt"),
                ],
            })
        {
            Spaces = Others(OpenAiVitB32, "Qdrant/clip-ViT-B-32"),
        },
        SigLip(),
        SigLip2(),
        MobileClip(),
        Immich("immich-app/ViT-B-32__openai", "OpenAI CLIP ViT-B/32 as exported by immich (open_clip layout: visual/, textual/)", 512, textOnly: false) with
        {
            Spaces = Others(OpenAiVitB32, "immich-app/ViT-B-32__openai"),
        },
        Immich("immich-app/XLM-Roberta-Large-Vit-B-32",
            "M-CLIP's multilingual XLM-R Large text tower for OpenAI's ViT-B/32 images, as exported by immich (textual/ only: index with an OpenAI ViT-B/32 model)",
            512, textOnly: true, "sentencepiece.bpe.model") with
        {
            Languages = ["multilingual"],
            Spaces = OpenAiVitB32,
        },
        Immich("immich-app/ViT-B-16-SigLIP2__webli", "Google SigLIP2 ViT-B/16 224 (open_clip webli weights) as exported by immich", 768, textOnly: false) with
        {
            Family = ModelFamily.SigLip,
            Languages = ["multilingual"],
            // The weights immich exported (open_clip's hf_tokenizer_name and weights repository for this model).
            Scoring = new ScoringCheckpoint("timm/ViT-B-16-SigLIP2", "open_clip_model.safetensors"),
        },
    ];

    /// <summary>A model by name (case-insensitive; a repository it is downloaded from works too), or null.</summary>
    public static CatalogueModel? Find(string name) => Models.FirstOrDefault(m =>
        string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)
        || m.Variants.Values.SelectMany(f => f).Any(f => string.Equals(f.Repository, name, StringComparison.OrdinalIgnoreCase)));

    private static string[] Others(IReadOnlyList<string> space, string self) => [.. space.Where(id => id != self)];
}
