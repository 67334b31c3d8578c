namespace ClipSearch.Clip.Models;

/// <summary>How a CLIP model folder is organised on disk.</summary>
public enum ModelLayout
{
    /// <summary>Hugging Face / Transformers.js: onnx/vision_model.onnx, onnx/text_model.onnx, tokenizer and configs at the root.</summary>
    HuggingFace,

    /// <summary>fastembed (Qdrant/clip-ViT-B-32-vision and -text): a vision folder and a text folder with one model.onnx each.</summary>
    FastEmbed,
}
