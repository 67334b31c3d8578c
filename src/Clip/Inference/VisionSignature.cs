using ClipSearch.Clip.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ClipSearch.Clip.Inference;

/// <summary>What the vision graph takes and gives, read from its metadata and checked against the contract of a CLIP-style image tower.</summary>
internal sealed class VisionSignature : TowerSignature
{
    public required string PixelInput { get; init; }

    public static VisionSignature Read(string path, InferenceSession session, int cropSize)
    {
        var inputs = TensorInfo.From(session.InputMetadata);
        var outputs = TensorInfo.From(session.OutputMetadata);
        if (inputs.Count != 1)
        {
            throw new ClipModelException(path, $"a vision tower with one input (pixel_values float32[batch,3,{cropSize},{cropSize}]), found {Describe(inputs)}");
        }

        var pixels = inputs[0];
        var meta = session.InputMetadata[pixels.Name];
        if (meta.ElementDataType != TensorElementType.Float)
        {
            throw new ClipModelException(path, $"a float32 pixel input, found {pixels}");
        }

        if (pixels.Rank != 4 || (pixels.Dimensions[1] > 0 && pixels.Dimensions[1] != 3))
        {
            throw new ClipModelException(path, $"a pixel input of rank 4 [batch,3,height,width], found {pixels}");
        }

        foreach (var side in pixels.Dimensions.Skip(2).Where(d => d > 0 && d != cropSize))
        {
            throw new ClipModelException(path, $"a pixel input of {cropSize}x{cropSize} as the preprocessing configuration's size says, found {pixels}");
        }

        var output = ChooseOutput(path, outputs, "image_embeds");
        return new VisionSignature
        {
            Inputs = inputs,
            Outputs = outputs,
            PixelInput = pixels.Name,
            Output = output.Name,
            Dimension = Math.Max(0, output.Dimensions[1]),
            FixedBatch = pixels.Dimensions[0] > 0 ? pixels.Dimensions[0] : null,
        };
    }

    /// <summary>
    /// The embedding output: the one named <paramref name="preferred"/> (Transformers.js CLIP exports), else
    /// <c>embedding</c> (open_clip/immich), else <c>pooler_output</c> (SigLIP, beside <c>last_hidden_state</c>), else the
    /// only output; it must be float32 of rank 2 [batch, dimension].
    /// </summary>
    internal static TensorInfo ChooseOutput(string path, List<TensorInfo> outputs, string preferred)
    {
        var output = outputs.FirstOrDefault(o => o.Name == preferred)
            ?? outputs.FirstOrDefault(o => o.Name == "embedding")
            ?? outputs.FirstOrDefault(o => o.Name == "pooler_output")
            ?? (outputs.Count == 1 ? outputs[0] : null)
            ?? throw new ClipModelException(path, $"an output named {preferred}, embedding or pooler_output (or a single output), found {Describe(outputs)}");
        if (output.ElementType != "float32")
        {
            throw new ClipModelException(path, $"a float32 embedding output, found {output}");
        }

        return output.Rank == 2
            ? output
            : throw new ClipModelException(path, $"an embedding output of rank 2 [batch, dimension], found rank {output.Rank}: {output}");
    }

    internal static string Describe(List<TensorInfo> tensors) => tensors.Count == 0 ? "none" : string.Join(", ", tensors);
}
