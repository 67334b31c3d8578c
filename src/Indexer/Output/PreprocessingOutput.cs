namespace ClipSearch.Indexer.Output;

/// <summary>The image preprocessing of <c>models inspect --json</c>; <paramref name="Source"/> is null when CLIP's defaults apply.</summary>
internal sealed record PreprocessingOutput(int ResizeShortestEdge, int CropSize, IReadOnlyList<float> Mean, IReadOnlyList<float> Std, string? Source);
