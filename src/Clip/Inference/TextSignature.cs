using ClipSearch.Clip.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ClipSearch.Clip.Inference;

/// <summary>
/// What the text graph takes and gives: int64 or int32 ids (<c>input_ids</c>, or <c>text</c> in open_clip exports), an
/// attention mask only when declared (SigLIP's towers take none: their embedding is read at the last position), the
/// embedding output by name, and a batch size the graph may fix (immich's exports take one row at a time).
/// </summary>
internal sealed class TextSignature : TowerSignature
{
    public required string IdsInput { get; init; }

    public required bool IdsAreInt32 { get; init; }

    public string? MaskInput { get; init; }

    public bool MaskIsInt32 { get; init; }

    public required int ContextLength { get; init; }

    public static TextSignature Read(string path, InferenceSession session, int contextLength)
    {
        var inputs = TensorInfo.From(session.InputMetadata);
        var outputs = TensorInfo.From(session.OutputMetadata);
        var mask = inputs.FirstOrDefault(i => i.Name == "attention_mask");
        var ids = inputs.FirstOrDefault(i => i.Name is "input_ids" or "text") ?? inputs.FirstOrDefault(i => i != mask);
        var unknown = inputs.Where(i => i != ids && i != mask).ToList();
        if (ids is null || unknown.Count > 0)
        {
            throw new ClipModelException(path, $"a text tower taking input_ids or text (and optionally attention_mask), found {VisionSignature.Describe(inputs)}");
        }

        var idsType = session.InputMetadata[ids.Name].ElementDataType;
        if (idsType is not (TensorElementType.Int64 or TensorElementType.Int32))
        {
            throw new ClipModelException(path, $"int64 or int32 token ids, found {ids}");
        }

        if (ids.Rank != 2)
        {
            throw new ClipModelException(path, $"token ids of rank 2 [batch, sequence], found {ids}");
        }

        var maskType = mask is null ? TensorElementType.Int64 : session.InputMetadata[mask.Name].ElementDataType;
        if (mask is not null && (mask.Rank != 2 || maskType is not (TensorElementType.Int64 or TensorElementType.Int32)))
        {
            throw new ClipModelException(path, $"an int64 or int32 attention_mask of rank 2, found {mask}");
        }

        if (ids.Dimensions[1] > 0 && ids.Dimensions[1] != contextLength)
        {
            throw new ClipModelException(path, $"token rows of {contextLength} positions as the tokenizer's configuration says, but the graph takes {ids}");
        }

        var output = VisionSignature.ChooseOutput(path, outputs, "text_embeds");
        return new TextSignature
        {
            Inputs = inputs,
            Outputs = outputs,
            IdsInput = ids.Name,
            IdsAreInt32 = idsType == TensorElementType.Int32,
            MaskInput = mask?.Name,
            MaskIsInt32 = maskType == TensorElementType.Int32,
            Output = output.Name,
            ContextLength = contextLength,
            FixedBatch = ids.Dimensions[0] > 0 ? ids.Dimensions[0] : null,
            Dimension = Math.Max(0, output.Dimensions[1]),
        };
    }
}
