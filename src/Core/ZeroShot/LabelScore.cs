namespace ClipSearch.Core.ZeroShot;

/// <summary>
/// One label's result for an image: its probability (softmax over the labels for CLIP models, an independent sigmoid
/// for SigLIP models: see <see cref="ZeroShotScoring"/>) and its cosine similarity.
/// </summary>
public sealed record LabelScore(string Label, float Probability, float Score);
