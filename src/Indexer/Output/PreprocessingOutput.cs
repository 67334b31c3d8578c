namespace ClipSearch.Indexer.Output;

/// <summary>
/// The image preprocessing of <c>models inspect --json</c>: <paramref name="Mode"/> "shortest-edge" (then a centre crop)
/// or "squash"; <paramref name="Resample"/> "bicubic" or "bilinear"; <paramref name="Source"/> is null when CLIP's defaults apply.
/// </summary>
internal sealed record PreprocessingOutput(string Mode, int ResizeShortestEdge, int CropSize, string Resample, bool Normalize, IReadOnlyList<float> Mean,
    IReadOnlyList<float> Std, string? Source);
