namespace ClipSearch.Clip.Models.Download;

/// <summary>
/// Where a sigmoid model's trained <c>logit_scale</c> and <c>logit_bias</c> are, when its ONNX towers do not carry
/// them: a safetensors checkpoint of the same weights on the hub, read with Range requests (a few kilobytes of a
/// file of hundreds of megabytes).
/// </summary>
/// <param name="Repository">Hub repository, e.g. google/siglip-base-patch16-224.</param>
/// <param name="Path">The safetensors file in it, e.g. model.safetensors.</param>
/// <param name="ScaleTensor">The tensor holding logit_scale (its log; the multiplier is exp of it).</param>
/// <param name="BiasTensor">The tensor holding logit_bias.</param>
public sealed record ScoringCheckpoint(string Repository, string Path, string ScaleTensor = "logit_scale", string BiasTensor = "logit_bias")
{
    /// <summary>How reports name the source: <c>repo/path</c>.</summary>
    public override string ToString() => $"{Repository}/{Path}";
}
