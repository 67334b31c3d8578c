using ClipSearch.Clip.Inference;

namespace ClipSearch.Indexer.Output;

/// <summary>A model input or output: name, element type, shape (-1 for a dynamic dimension).</summary>
internal sealed record TensorOutput(string Name, string Type, IReadOnlyList<int> Shape)
{
    public static TensorOutput From(TensorInfo t) => new(t.Name, t.ElementType, t.Dimensions);
}
