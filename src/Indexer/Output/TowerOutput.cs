using ClipSearch.Clip.Inference;

namespace ClipSearch.Indexer.Output;

/// <summary>One tower of <c>models inspect --json</c>: its file, tensors, and the output used as the embedding.</summary>
internal sealed record TowerOutput(string Path, string EmbeddingOutput, IReadOnlyList<TensorOutput> Inputs, IReadOnlyList<TensorOutput> Outputs)
{
    public static TowerOutput From(string path, IReadOnlyList<TensorInfo> inputs, IReadOnlyList<TensorInfo> outputs, string used) =>
        new(path, used, [.. inputs.Select(TensorOutput.From)], [.. outputs.Select(TensorOutput.From)]);
}
