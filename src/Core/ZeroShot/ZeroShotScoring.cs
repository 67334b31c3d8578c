using System.Numerics.Tensors;

namespace ClipSearch.Core.ZeroShot;

/// <summary>How a model turns the cosine similarities of an image and label texts into probabilities.</summary>
public enum ZeroShotScoringKind
{
    /// <summary>CLIP: softmax over the labels of scale x cosine; the labels compete, the probabilities sum to 1.</summary>
    Softmax,

    /// <summary>SigLIP: sigmoid(scale x cosine + bias) per label; each label is its own yes/no, independent of the others.</summary>
    Sigmoid,
}

/// <summary>
/// A model's zero-shot scoring, from its own files: the kind, the multiplier of cosine similarities (exp of the model's
/// trained logit_scale) and, for sigmoid models, the bias. A sigmoid model whose folder does not record its scale and
/// bias has no probabilities (<see cref="Missing"/> says why); ranking by cosine still works.
/// </summary>
public sealed record ZeroShotScoring
{
    private ZeroShotScoring(ZeroShotScoringKind kind, float logitScale, float logitBias, string? missing)
    {
        Kind = kind;
        LogitScale = logitScale;
        LogitBias = logitBias;
        Missing = missing;
    }

    /// <summary>The multiplier trained CLIP models converge to (exp of the clamped logit_scale 4.6052).</summary>
    public static ZeroShotScoring ClipDefault { get; } = Softmax(100f);

    public ZeroShotScoringKind Kind { get; }

    /// <summary>The multiplier of cosine similarities (exp of the model's logit_scale).</summary>
    public float LogitScale { get; }

    /// <summary>The sigmoid's bias (0 for softmax models).</summary>
    public float LogitBias { get; }

    /// <summary>Why there are no probabilities (a sigmoid model whose scale and bias are not recorded), or null.</summary>
    public string? Missing { get; }

    public bool HasProbabilities => Missing is null;

    public bool IsSigmoid => Kind == ZeroShotScoringKind.Sigmoid;

    public static ZeroShotScoring Softmax(float logitScale) => new(ZeroShotScoringKind.Softmax, Finite(logitScale), 0f, null);

    public static ZeroShotScoring Sigmoid(float logitScale, float logitBias) =>
        new(ZeroShotScoringKind.Sigmoid, Finite(logitScale), float.IsFinite(logitBias) ? logitBias : throw new ArgumentOutOfRangeException(nameof(logitBias)), null);

    /// <summary>A sigmoid model whose scale and bias are unknown: <paramref name="reason"/> tells the user how to get them.</summary>
    public static ZeroShotScoring SigmoidWithout(string reason) => new(ZeroShotScoringKind.Sigmoid, 1f, 0f, reason);

    /// <summary>The probabilities of <paramref name="cosines"/> (one image against every label).</summary>
    /// <exception cref="ZeroShotScoringException">The model's scale and bias are not known.</exception>
    public void Probabilities(ReadOnlySpan<float> cosines, Span<float> destination)
    {
        if (Missing is { } reason)
        {
            throw new ZeroShotScoringException(reason);
        }

        TensorPrimitives.Multiply(cosines, LogitScale, destination);
        if (Kind == ZeroShotScoringKind.Softmax)
        {
            TensorPrimitives.SoftMax(destination, destination);
            return;
        }

        TensorPrimitives.Add(destination, LogitBias, destination);
        TensorPrimitives.Sigmoid(destination, destination);
    }

    /// <summary>
    /// The cosine similarity at which a label of a sigmoid model reaches <paramref name="probability"/>:
    /// (logit(p) - bias) / scale, the inverse of its scoring.
    /// </summary>
    /// <exception cref="ZeroShotScoringException">The model's scale and bias are not known.</exception>
    public float CosineAt(float probability)
    {
        if (Missing is { } reason)
        {
            throw new ZeroShotScoringException(reason);
        }

        if (!IsSigmoid)
        {
            throw new InvalidOperationException("only a sigmoid model maps probabilities to cosines one label at a time");
        }

        var p = Math.Clamp(probability, 1e-7f, 1 - 1e-7f);
        return (MathF.Log(p / (1 - p)) - LogitBias) / LogitScale;
    }

    /// <summary>
    /// The probability a sigmoid model gives one text and one image at cosine <paramref name="cosine"/>: sigmoid(scale x cosine + bias),
    /// a yes/no of that pair alone; null for a softmax model (its probabilities only compare labels) or when scale and bias are not known.
    /// </summary>
    public float? PairProbability(float cosine) =>
        IsSigmoid && HasProbabilities ? 1f / (1f + MathF.Exp(-((LogitScale * cosine) + LogitBias))) : null;

    private static float Finite(float value) =>
        float.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a logit scale is a positive number");
}
