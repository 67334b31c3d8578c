namespace ClipSearch.Core.ZeroShot;

/// <summary>
/// How a model turns the cosine similarity of an image and a label's text into a zero-shot probability: CLIP
/// models take the softmax over the labels of <see cref="LogitScale"/> x cosine.
/// </summary>
/// <param name="LogitScale">The multiplier of cosine similarities: exp of the model's trained logit_scale (100 for OpenAI's CLIP).</param>
public sealed record ZeroShotScoring(float LogitScale)
{
    /// <summary>The multiplier trained CLIP models converge to (exp of the clamped logit_scale 4.6052).</summary>
    public static ZeroShotScoring ClipDefault { get; } = new(100f);
}
