namespace ClipSearch.Tests.Shared;

/// <summary>Whose export a stand-in folder imitates: each writes its configuration and tokenizer files its own way.</summary>
internal enum Publisher
{
    /// <summary>Xenova's Transformers.js export of an OpenAI CLIP (vocab.json, merges.txt, tokenizer.json).</summary>
    XenovaClip,

    /// <summary>Xenova's Transformers.js export of google/siglip-* (SentencePiece: spiece.model and tokenizer.json).</summary>
    XenovaSigLip,

    /// <summary>onnx-community's export of google/siglip2-* (Gemma's tokenizer as tokenizer.json only).</summary>
    OnnxCommunitySigLip2,

    /// <summary>Xenova's export of Apple's MobileCLIP (tokenizer.json only, do_normalize false, 256 px).</summary>
    XenovaMobileClip,

    /// <summary>Qdrant's fastembed packaging (a vision and a text repository, model.onnx each).</summary>
    FastEmbed,

    /// <summary>immich's open_clip export of a CLIP model (visual/, textual/).</summary>
    ImmichClip,

    /// <summary>immich's open_clip export of a SigLIP2 model (init_logit_bias in config.json, squash, canonicalising tokenizer).</summary>
    ImmichSigLip2,

    /// <summary>immich's export of an M-CLIP text tower (textual/ with input_ids and attention_mask, XLM-R tokenizer).</summary>
    ImmichMClip,
}
