using System.Text;

namespace ClipSearch.Tests.Shared;

/// <summary>
/// The content a stand-in for a published repository serves under each of its file names: the tiny models' towers and
/// tokenizers (models/tiny-clip, models/tiny-clip-multilingual), and configurations written as each publisher's exporter
/// writes them, reduced to the fields ClipSearch reads. Null: the stand-in has no such file (an optional one).
/// </summary>
internal static class PublishedStandIns
{
    private const string ClipMean = "[0.48145466, 0.4578275, 0.40821073]";
    private const string ClipStd = "[0.26862954, 0.26130258, 0.27577711]";

    private static string Multilingual => Path.Combine(TestPaths.RepoRoot, "models", "tiny-clip-multilingual");

    /// <summary>A folder holding <paramref name="paths"/> as <paramref name="publisher"/> names them.</summary>
    public static TempModelFolder Folder(Publisher publisher, params string[] paths)
    {
        var folder = new TempModelFolder();
        foreach (var path in paths)
        {
            var content = For(publisher, path) ?? throw new InvalidOperationException($"no stand-in for {path} of {publisher}");
            var target = Path.Combine(folder.Root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, content);
        }

        return folder;
    }

    public static byte[]? For(Publisher publisher, string path)
    {
        var name = Path.GetFileName(path);
        var openClip = publisher is Publisher.ImmichClip or Publisher.ImmichSigLip2 or Publisher.ImmichMClip;
        var multilingualTokenizer = publisher is Publisher.XenovaSigLip or Publisher.OnnxCommunitySigLip2 or Publisher.ImmichSigLip2 or Publisher.ImmichMClip;
        return name switch
        {
            _ when name.EndsWith(".onnx", StringComparison.Ordinal) => Tower(publisher, path),
            "config.json" => openClip ? Text(OpenClipConfig(publisher)) : Config(publisher),
            "preprocessor_config.json" => publisher switch
            {
                Publisher.XenovaSigLip or Publisher.OnnxCommunitySigLip2 => Text($$"""
                    {"image_processor_type": "SiglipImageProcessor", "do_resize": true, "size": {"height": 224, "width": 224}, "resample": 2,
                     "do_rescale": true, "rescale_factor": 0.00392156862745098, "do_normalize": true, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}
                    """),
                Publisher.XenovaMobileClip => Text("""
                    {"image_processor_type": "CLIPImageProcessor", "do_resize": true, "size": {"shortest_edge": 256}, "resample": 2, "do_center_crop": true,
                     "crop_size": {"height": 256, "width": 256}, "do_rescale": true, "rescale_factor": 0.00392156862745098, "do_normalize": false}
                    """),
                _ => Tiny("preprocessor_config.json"),
            },
            "preprocess_cfg.json" => Text(publisher == Publisher.ImmichSigLip2
                ? """{"size": [224, 224], "mode": "RGB", "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "interpolation": "bicubic", "resize_mode": "squash", "fill_color": 0}"""
                : $$"""{"size": [224, 224], "mode": "RGB", "mean": {{ClipMean}}, "std": {{ClipStd}}, "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0}"""),
            "vocab.json" or "merges.txt" => Tiny(name),
            "tokenizer.json" => multilingualTokenizer ? MultilingualFile(name) : Tiny(name),
            "tokenizer_config.json" => publisher switch
            {
                // SigLIP's tokenizers are configured for 64 tokens closed by </s>; the tiny Unigram tokenizer stands in for the real vocabularies.
                Publisher.XenovaSigLip or Publisher.OnnxCommunitySigLip2 or Publisher.ImmichSigLip2 =>
                    Text("""{"model_max_length": 64, "eos_token": "</s>", "pad_token": "</s>", "unk_token": "<unk>"}"""),
                Publisher.ImmichMClip => MultilingualFile(name),
                _ => Tiny(name),
            },
            "special_tokens_map.json" => multilingualTokenizer ? MultilingualFile(name) : null,
            "spiece.model" or "sentencepiece.bpe.model" => MultilingualFile("sentencepiece.bpe.model"),
            _ => null,
        };
    }

    private static byte[] Tower(Publisher publisher, string path)
    {
        var vision = path.StartsWith("visual/", StringComparison.Ordinal) || path.Contains("vision", StringComparison.Ordinal);
        return vision
            ? publisher == Publisher.XenovaMobileClip
                ? File.ReadAllBytes(TempModelFolder.Fixture("vision_d96_any_size.onnx")) // the tiny image tower takes 224 px only; MobileCLIP's take 256
                : Tiny("onnx", "vision_model.onnx")
            : publisher == Publisher.ImmichMClip ? MultilingualFile("model.onnx")
            : Tiny("onnx", "text_model.onnx");
    }

    /// <summary>Hugging Face config.json: model_type says the family (SigLIP2's fixed-resolution checkpoints are "siglip" models).</summary>
    private static byte[] Config(Publisher publisher) => publisher switch
    {
        Publisher.XenovaSigLip => Text("""{"_name_or_path": "google/siglip-base-patch16-224", "model_type": "siglip", "architectures": ["SiglipModel"]}"""),
        Publisher.OnnxCommunitySigLip2 => Text("""{"_name_or_path": "google/siglip2-base-patch16-224", "model_type": "siglip", "architectures": ["SiglipModel"]}"""),
        Publisher.XenovaMobileClip => Text("""{"model_type": "clip", "projection_dim": 512}"""),
        _ => Tiny("config.json"),
    };

    /// <summary>open_clip's model config, as immich's exporter saves it beside visual/ and textual/ (M-CLIP's: the image model's).</summary>
    private static string OpenClipConfig(Publisher publisher) => publisher == Publisher.ImmichSigLip2
        ? """
          {"embed_dim": 768, "init_logit_bias": -10, "custom_text": true, "vision_cfg": {"image_size": 224},
           "text_cfg": {"context_length": 64, "vocab_size": 256000, "hf_tokenizer_name": "timm/ViT-B-16-SigLIP2", "tokenizer_kwargs": {"clean": "canonicalize"}}}
          """
        : """{"embed_dim": 512, "vision_cfg": {"image_size": 224, "patch_size": 32}, "text_cfg": {"context_length": 77, "vocab_size": 49408}}""";

    private static byte[] Tiny(params string[] parts) => File.ReadAllBytes(Path.Combine([TestPaths.TinyClip, .. parts]));

    private static byte[] MultilingualFile(string name) => File.ReadAllBytes(Path.Combine(Multilingual, "textual", name));

    private static byte[] Text(string json) => Encoding.UTF8.GetBytes(json);
}
