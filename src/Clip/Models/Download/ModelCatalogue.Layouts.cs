namespace ClipSearch.Clip.Models.Download;

/// <summary>The file lists of the published layouts.</summary>
public static partial class ModelCatalogue
{
    // A property, not a field: the catalogue list in the other part of this class is built first.
    private static string[] TransformersJsConfigs => ["config.json", "preprocessor_config.json", "tokenizer_config.json", "special_tokens_map.json"];

    /// <summary>Transformers.js: onnx/vision_model{suffix}.onnx and onnx/text_model{suffix}.onnx, suffixes "", "_quantized" (q8), "_fp16".</summary>
    private static CatalogueModel TransformersJs(string name, string repository, string description, int dimension, params ModelFile[] tokenizer)
    {
        IReadOnlyList<ModelFile> Variant(string suffix) =>
        [
            .. Files(repository, "", TransformersJsConfigs), .. tokenizer,
            .. Files(repository, "", $"onnx/vision_model{suffix}.onnx", $"onnx/text_model{suffix}.onnx"),
        ];
        return new CatalogueModel(name, description, dimension, new Dictionary<string, IReadOnlyList<ModelFile>>
        {
            [Full] = Variant(""),
            [Quantized] = Variant("_quantized"),
            [Fp16] = Variant("_fp16"),
        });
    }

    private static CatalogueModel Xenova(string name, string repository, string description, int dimension) =>
        TransformersJs(name, repository, description, dimension, [.. Files(repository, "", "tokenizer.json", "vocab.json", "merges.txt")]);

    /// <summary>SigLIP base/16 224 as Xenova exports it: tokenizer.json (what Transformers.js reads), spiece.model when the repository has it.</summary>
    private static CatalogueModel SigLip()
    {
        const string repo = "Xenova/siglip-base-patch16-224";
        return TransformersJs("google/siglip-base-patch16-224", repo, "Google SigLIP ViT-B/16 224 (Transformers.js export by Xenova); sigmoid scores", 768,
            new ModelFile(repo, "tokenizer.json", "tokenizer.json") { Optional = false }, new ModelFile(repo, "spiece.model", "spiece.model") { Optional = true }) with
        {
            Family = ModelFamily.SigLip,
            // The split towers drop the two trained scalars; google's checkpoint of the same weights has them.
            Scoring = new ScoringCheckpoint("google/siglip-base-patch16-224", "model.safetensors"),
        };
    }

    /// <summary>SigLIP2 base/16 224 as onnx-community exports it: Gemma's tokenizer, as tokenizer.json only.</summary>
    private static CatalogueModel SigLip2()
    {
        const string repo = "onnx-community/siglip2-base-patch16-224-ONNX";
        return TransformersJs("google/siglip2-base-patch16-224", repo, "Google SigLIP2 ViT-B/16 224 (ONNX export by onnx-community); sigmoid scores, multilingual", 768,
            new ModelFile(repo, "tokenizer.json", "tokenizer.json") { Optional = false }) with
        {
            Family = ModelFamily.SigLip,
            Languages = ["multilingual"],
            Scoring = new ScoringCheckpoint("google/siglip2-base-patch16-224", "model.safetensors"),
        };
    }

    /// <summary>Apple's MobileCLIP-S2 as Xenova exports it: CLIP's BPE as tokenizer.json only; unnormalised 256 px inputs.</summary>
    private static CatalogueModel MobileClip()
    {
        const string repo = "Xenova/mobileclip_s2";
        return TransformersJs(repo, repo, "Apple MobileCLIP-S2 (Transformers.js export by Xenova); fast on CPU", 512,
            new ModelFile(repo, "tokenizer.json", "tokenizer.json") { Optional = false });
    }

    /// <summary>
    /// immich's open_clip export: config.json (open_clip's model config), visual/model.onnx + visual/preprocess_cfg.json,
    /// textual/model.onnx beside the tokenizer files its exporter saves (immich reads tokenizer.json and the pad token of
    /// tokenizer_config.json). Only model.onnx runs here: the repositories' model.armnn and rknpu/*/model.rknn are for other runtimes.
    /// </summary>
    private static CatalogueModel Immich(string name, string description, int dimension, bool textOnly, params string[] extraTokenizerFiles)
    {
        List<ModelFile> files =
        [
            new(name, "config.json", "config.json"),
            new(name, "textual/model.onnx", "textual/model.onnx"),
            new(name, "textual/tokenizer.json", "textual/tokenizer.json") { Optional = false },
            new(name, "textual/tokenizer_config.json", "textual/tokenizer_config.json") { Optional = false },
            new(name, "textual/special_tokens_map.json", "textual/special_tokens_map.json"),
            .. extraTokenizerFiles.Select(f => new ModelFile(name, "textual/" + f, "textual/" + f) { Optional = true }),
        ];
        if (!textOnly)
        {
            files.Add(new(name, "visual/model.onnx", "visual/model.onnx"));
            files.Add(new(name, "visual/preprocess_cfg.json", "visual/preprocess_cfg.json"));
        }

        return new CatalogueModel(name, description, dimension, new Dictionary<string, IReadOnlyList<ModelFile>> { [Full] = files }) { IsTextOnly = textOnly };
    }

    private static IEnumerable<ModelFile> Files(string repository, string localFolder, params string[] paths) =>
        paths.Select(p => new ModelFile(repository, p, localFolder.Length == 0 ? p : localFolder + "/" + p));
}
