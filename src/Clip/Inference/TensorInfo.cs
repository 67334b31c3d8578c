using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ClipSearch.Clip.Inference;

/// <summary>One input or output of an ONNX graph as its metadata declares it (-1 for a symbolic dimension).</summary>
public sealed record TensorInfo(string Name, string ElementType, IReadOnlyList<int> Dimensions)
{
    public int Rank => Dimensions.Count;

    public override string ToString() =>
        $"{Name} {ElementType}[{string.Join(",", Dimensions.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";

    internal static List<TensorInfo> From(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        nodes.Select(kv => new TensorInfo(kv.Key, kv.Value.IsTensor ? ElementName(kv.Value.ElementDataType) : kv.Value.OnnxValueType.ToString(), kv.Value.Dimensions)).ToList();

    private static string ElementName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Double => "float64",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int8 => "int8",
        TensorElementType.Bool => "bool",
        _ => type.ToString().ToLowerInvariant(),
    };
}
