namespace ClipSearch.Clip.Models;

/// <summary>
/// How a model's towers were trained to compare, which decides its text cleaning, its framing of token rows and its
/// zero-shot scoring. Read from the folder's own files (config.json's <c>model_type</c>, an open_clip config's
/// <c>init_logit_bias</c>), never from its name.
/// </summary>
public enum ModelFamily
{
    /// <summary>Contrastive softmax training (OpenAI CLIP, open_clip's CLIP models, MobileCLIP, M-CLIP text towers): labels compete.</summary>
    Clip,

    /// <summary>Sigmoid training (SigLIP, SigLIP2): each label is an independent yes/no with the model's own scale and bias.</summary>
    SigLip,
}

/// <summary>Display names of <see cref="ModelFamily"/>.</summary>
public static class ModelFamilies
{
    public static string Name(ModelFamily family) => family switch
    {
        ModelFamily.SigLip => "SigLIP",
        _ => "CLIP",
    };
}
