namespace ClipSearch.Clip.Inference;

/// <summary>What either tower's graph takes and gives: its tensors, the embedding output, a fixed batch size and the dimension.</summary>
internal abstract class TowerSignature
{
    public required List<TensorInfo> Inputs { get; init; }

    public required List<TensorInfo> Outputs { get; init; }

    public required string Output { get; init; }

    /// <summary>The batch size the graph fixes, or null when it is dynamic.</summary>
    public int? FixedBatch { get; init; }

    /// <summary>Embedding dimension; 0 until learned when the graph declares it symbolically.</summary>
    public int Dimension { get; set; }
}
