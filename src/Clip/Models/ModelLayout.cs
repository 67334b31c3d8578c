namespace ClipSearch.Clip.Models;

/// <summary>How a model folder is organised on disk.</summary>
public enum ModelLayout
{
    /// <summary>Hugging Face / Transformers.js: onnx/vision_model.onnx, onnx/text_model.onnx, tokenizer and configs at the root.</summary>
    HuggingFace,

    /// <summary>fastembed (Qdrant/clip-ViT-B-32-vision and -text): a vision folder and a text folder with one model.onnx each.</summary>
    FastEmbed,

    /// <summary>
    /// open_clip exports as immich publishes them: config.json (the open_clip model config), visual/model.onnx with
    /// visual/preprocess_cfg.json, textual/model.onnx with its tokenizer files. A folder with textual/ alone is a text
    /// tower aligned to another model's image space.
    /// </summary>
    OpenClip,
}
