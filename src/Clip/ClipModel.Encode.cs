using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Inference;
using ClipSearch.Clip.Models;
using ClipSearch.Clip.Tokenization;
using ClipSearch.Core;
using Microsoft.ML.OnnxRuntime;

namespace ClipSearch.Clip;

public sealed partial class ClipModel
{
    /// <summary>Embeds texts (tokenized as the model's family does), in batches; one unit vector per text, in order.</summary>
    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var tokenized = texts.Select(Tokenizer.Tokenize).ToList();
        return EncodeTokenized(tokenized, cancellationToken);
    }

    /// <summary>Embeds already tokenized rows (each exactly <see cref="ContextLength"/> ids).</summary>
    public float[][] EncodeTokenized(IReadOnlyList<TokenizedText> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new float[rows.Count][];
        if (rows.Count == 0)
        {
            return result;
        }

        var tower = TextTower;
        for (var start = 0; start < rows.Count; start += tower.BatchSize)
        {
            var batch = rows.Skip(start).Take(tower.BatchSize).ToList();
            var matrix = RunTextOn(tower, batch, cancellationToken);
            CopyNormalized(matrix, result, start);
        }

        return result;
    }

    /// <summary>Embeds decoded images (preprocessed with <see cref="Preprocessor"/>); one unit vector per image.</summary>
    internal float[][] EncodeImages(IReadOnlyList<DecodedImage> images, CancellationToken cancellationToken = default) =>
        EncodePixelTensors([.. images.Select(Preprocessor.Preprocess)], cancellationToken);

    /// <summary>Embeds preprocessed CHW tensors (<see cref="ClipImagePreprocessor.TensorLength"/> floats each).</summary>
    internal float[][] EncodePixelTensors(IReadOnlyList<float[]> tensors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var length = Preprocessor.TensorLength;
        var result = new float[tensors.Count][];
        if (tensors.Count == 0)
        {
            return result;
        }

        var tower = VisionTower ?? throw new ClipModelException(Folder.Root, NoImageTower);
        for (var start = 0; start < tensors.Count; start += tower.BatchSize)
        {
            var n = Math.Min(tower.BatchSize, tensors.Count - start);
            var buffer = new float[n * length];
            for (var i = 0; i < n; i++)
            {
                var t = tensors[start + i];
                if (t.Length != length)
                {
                    throw new ArgumentException($"Image tensor {start + i} has {t.Length} floats; this model takes {length}.", nameof(tensors));
                }

                t.CopyTo(buffer, i * length);
            }

            CopyNormalized(RunVisionOn(tower, buffer, n, cancellationToken), result, start);
        }

        return result;
    }

    /// <summary>What a text tower alone says when asked to embed images.</summary>
    internal string NoImageTower =>
        $"an image tower to embed images, but this model is a text tower alone, trained to share the image space of '{SharedSpace}': index the images with that model, then search them with this one";

    private static void CopyNormalized(float[,] matrix, float[][] result, int offset)
    {
        var dim = matrix.GetLength(1);
        for (var i = 0; i < matrix.GetLength(0); i++)
        {
            var v = new float[dim];
            for (var j = 0; j < dim; j++)
            {
                v[j] = matrix[i, j];
            }

            // Hugging Face exports return projected but unnormalised embeddings (open_clip's are normalised: a no-op).
            VectorMath.NormalizeInPlace(v);
            result[offset + i] = v;
        }
    }

    private float[,] RunVisionOn(Tower<VisionSignature> tower, float[] buffer, int count, CancellationToken cancellationToken)
    {
        var size = Preprocessor.Size;
        using var input = OrtValue.CreateTensorValueFromMemory(buffer, [count, 3, size, size]);
        return Run(tower.Session, [tower.Signature.PixelInput], [input], tower.Signature.Output, count, cancellationToken);
    }

    private float[,] RunTextOn(Tower<TextSignature> tower, List<TokenizedText> rows, CancellationToken cancellationToken)
    {
        var signature = tower.Signature;
        var length = ContextLength;
        var names = new List<string> { signature.IdsInput };
        var values = new List<OrtValue>();
        try
        {
            if (signature.IdsAreInt32)
            {
                var ids = new int[rows.Count * length];
                for (var i = 0; i < rows.Count; i++)
                {
                    CheckLength(rows[i], length);
                    for (var j = 0; j < length; j++)
                    {
                        ids[(i * length) + j] = (int)rows[i].Ids[j];
                    }
                }

                values.Add(OrtValue.CreateTensorValueFromMemory(ids, [rows.Count, length]));
            }
            else
            {
                var ids = new long[rows.Count * length];
                for (var i = 0; i < rows.Count; i++)
                {
                    CheckLength(rows[i], length);
                    rows[i].Ids.CopyTo(ids, i * length);
                }

                values.Add(OrtValue.CreateTensorValueFromMemory(ids, [rows.Count, length]));
            }

            if (signature.MaskInput is { } maskName)
            {
                names.Add(maskName);
                values.Add(MaskValue(rows, length, signature.MaskIsInt32));
            }

            return Run(tower.Session, names, values, signature.Output, rows.Count, cancellationToken);
        }
        finally
        {
            foreach (var v in values)
            {
                v.Dispose();
            }
        }
    }

    private static OrtValue MaskValue(List<TokenizedText> rows, int length, bool int32)
    {
        if (int32)
        {
            var mask = new int[rows.Count * length];
            for (var i = 0; i < rows.Count; i++)
            {
                mask.AsSpan(i * length, rows[i].Length).Fill(1);
            }

            return OrtValue.CreateTensorValueFromMemory(mask, [rows.Count, length]);
        }

        var mask64 = new long[rows.Count * length];
        for (var i = 0; i < rows.Count; i++)
        {
            mask64.AsSpan(i * length, rows[i].Length).Fill(1);
        }

        return OrtValue.CreateTensorValueFromMemory(mask64, [rows.Count, length]);
    }

    private static void CheckLength(TokenizedText row, int length)
    {
        if (row.Ids.Length != length)
        {
            throw new ArgumentException($"A tokenized row has {row.Ids.Length} ids; this model takes exactly {length}.", nameof(row));
        }
    }

    private static float[,] Run(InferenceSession session, IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputs,
        string output, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        IDisposableReadOnlyCollection<OrtValue> results;
        try
        {
            results = session.Run(runOptions, inputNames, inputs, [output]);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        using (results)
        {
            var value = results[0];
            var shape = value.GetTensorTypeAndShape().Shape;
            if (shape.Length != 2 || shape[0] != count)
            {
                throw new InvalidOperationException($"The model returned {output} with shape [{string.Join(",", shape)}]; expected [{count}, dimension].");
            }

            var data = value.GetTensorDataAsSpan<float>();
            var matrix = new float[count, shape[1]];
            for (var i = 0; i < count; i++)
            {
                for (var j = 0; j < shape[1]; j++)
                {
                    matrix[i, j] = data[(i * (int)shape[1]) + j];
                }
            }

            return matrix;
        }
    }
}
