namespace ClipSearch.Clip.Models.Download;

/// <summary>The models <c>clipsearch models pull</c> knows, with the files each variant needs.</summary>
public static class ModelCatalogue
{
    public const string Full = "full";
    public const string Quantized = "quantized";
    public const string Fp16 = "fp16";

    /// <summary>
    /// OpenAI's ViT-B/32 as exported to ONNX by Xenova (Transformers.js layout: onnx/vision_model*.onnx and
    /// onnx/text_model*.onnx beside the tokenizer and configs), and the same model as packaged by Qdrant for
    /// fastembed (a vision and a text repository, one model.onnx each).
    /// </summary>
    public static IReadOnlyList<CatalogueModel> Models { get; } =
    [
        Xenova("openai/clip-vit-base-patch32", "Xenova/clip-vit-base-patch32", "OpenAI CLIP ViT-B/32 (Transformers.js export by Xenova), 512-d", 512),
        Xenova("openai/clip-vit-base-patch16", "Xenova/clip-vit-base-patch16", "OpenAI CLIP ViT-B/16 (Transformers.js export by Xenova), 512-d; slower, more accurate", 512),
        new("Qdrant/clip-ViT-B-32", "OpenAI CLIP ViT-B/32 as packaged for fastembed by Qdrant (Qdrant/clip-ViT-B-32-vision + -text), 512-d", 512,
            new Dictionary<string, IReadOnlyList<ModelFile>>
            {
                [Full] =
                [
                    .. Files("Qdrant/clip-ViT-B-32-vision", "clip-ViT-B-32-vision", "model.onnx", "config.json", "preprocessor_config.json"),
                    .. Files("Qdrant/clip-ViT-B-32-text", "clip-ViT-B-32-text", "model.onnx", "config.json", "tokenizer.json", "tokenizer_config.json",
                        "special_tokens_map.json", "vocab.json", "merges.txt"),
                ],
            }),
    ];

    /// <summary>A model by name (case-insensitive; the Xenova repository name works too), or null.</summary>
    public static CatalogueModel? Find(string name) => Models.FirstOrDefault(m =>
        string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)
        || m.Variants.Values.SelectMany(f => f).Any(f => string.Equals(f.Repository, name, StringComparison.OrdinalIgnoreCase)));

    private static CatalogueModel Xenova(string name, string repository, string description, int dimension)
    {
        string[] common = ["config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt"];
        IReadOnlyList<ModelFile> Variant(string suffix) =>
            [.. Files(repository, "", [.. common, $"onnx/vision_model{suffix}.onnx", $"onnx/text_model{suffix}.onnx"])];
        return new CatalogueModel(name, description, dimension, new Dictionary<string, IReadOnlyList<ModelFile>>
        {
            [Full] = Variant(""),
            [Quantized] = Variant("_quantized"),
            [Fp16] = Variant("_fp16"),
        });
    }

    private static IEnumerable<ModelFile> Files(string repository, string localFolder, params string[] paths) =>
        paths.Select(p => new ModelFile(repository, p, localFolder.Length == 0 ? p : localFolder + "/" + p));
}
