namespace ClipSearch.Clip.Models.Download;

/// <summary>One file of a downloadable model: where it is on the hub and where it goes in the model folder.</summary>
/// <param name="Repository">Hub repository, e.g. Xenova/clip-vit-base-patch32.</param>
/// <param name="RemotePath">Path in the repository.</param>
/// <param name="LocalPath">Path in the model folder ('/' separators).</param>
public sealed record ModelFile(string Repository, string RemotePath, string LocalPath)
{
    /// <summary>Files ClipSearch does not read (the tokenizer.json family): a repository without them is fine.</summary>
    public bool Optional => System.IO.Path.GetFileName(RemotePath) is "tokenizer.json" or "tokenizer_config.json" or "special_tokens_map.json";
}

/// <summary>A real CLIP model users can pull: its files per weight variant, and its layout once downloaded.</summary>
/// <param name="Name">The name users type (<c>clipsearch models pull NAME</c>).</param>
/// <param name="Description">One line for <c>models list</c>.</param>
/// <param name="Dimension">Embedding size.</param>
/// <param name="Variants">Weight variants offered ("full" first) and the files each needs.</param>
public sealed record CatalogueModel(string Name, string Description, int Dimension, IReadOnlyDictionary<string, IReadOnlyList<ModelFile>> Variants)
{
    /// <summary>The folder name under the models folder ('/' becomes "--", as the Hugging Face cache does).</summary>
    public string FolderName => Name.Replace("/", "--", StringComparison.Ordinal);
}

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
