using System.Numerics.Tensors;
using ClipSearch.Core.Embeddings;

namespace ClipSearch.Core.ZeroShot;

/// <summary>
/// Zero-shot classification with CLIP: each label's embedding is the mean of its prompts' L2-normalised text
/// embeddings, normalised again; an image's logits are logit_scale x cosine, its probabilities their softmax.
/// Pure maths: the text encoder is passed in (and caches prompt embeddings when it wants to). Thread-safe.
/// </summary>
public sealed class ZeroShotClassifier
{
    // The label embeddings row-major in one array, padded to a multiple of 4 rows, for the 4-row dot kernel.
    private readonly float[] _matrix;
    private readonly int _dimension;
    private readonly Thresholds _familyDefault;

    private ZeroShotClassifier(IReadOnlyList<string> labels, float[][] embeddings, ZeroShotScoring scoring)
    {
        Labels = labels;
        LabelEmbeddings = embeddings;
        Scoring = scoring;
        _familyDefault = Thresholds.DefaultFor(scoring);
        _dimension = embeddings[0].Length;
        _matrix = new float[(labels.Count + 3) / 4 * 4 * _dimension];
        for (var i = 0; i < embeddings.Length; i++)
        {
            embeddings[i].CopyTo(_matrix, i * _dimension);
        }
    }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>One unit vector per label.</summary>
    public IReadOnlyList<float[]> LabelEmbeddings { get; }

    public ZeroShotScoring Scoring { get; }

    /// <summary>The thresholds applied for <paramref name="given"/>: those given, else the model family's default (<see cref="Thresholds.DefaultFor"/>).</summary>
    /// <exception cref="ZeroShotScoringException">A probability threshold for a model whose scale and bias are not known.</exception>
    public Thresholds Effective(Thresholds? given)
    {
        var effective = given is null || given.IsEmpty ? _familyDefault : given;
        return effective.MinProbability is not null && Scoring.Missing is { } reason ? throw new ZeroShotScoringException(reason) : effective;
    }

    /// <summary>
    /// Builds the label embeddings with <paramref name="encoder"/> (one per prompt, in one call) and takes its
    /// scoring. Labels are trimmed; at least two different ones are needed.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two labels, or a label given twice.</exception>
    public static ZeroShotClassifier Create(IReadOnlyList<string> labels, PromptSet prompts, ITextEncoder encoder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(encoder);
        var distinct = labels.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (distinct.Count < 2 || distinct.Distinct(StringComparer.Ordinal).Count() != distinct.Count)
        {
            throw new ArgumentException($"zero-shot classification needs at least two different labels, got: {string.Join(", ", labels)}");
        }

        return new ZeroShotClassifier(distinct, Embed(distinct, prompts, texts => encoder.Encode(texts, cancellationToken)), encoder.Scoring);
    }

    /// <summary>From label embeddings already computed (unit vectors).</summary>
    public static ZeroShotClassifier FromEmbeddings(IReadOnlyList<string> labels, float[][] embeddings, ZeroShotScoring scoring) =>
        new(labels, embeddings, scoring);

    /// <summary>Mean of each label's normalised prompt embeddings, re-normalised.</summary>
    public static float[][] Embed(IReadOnlyList<string> labels, PromptSet prompts, Func<IReadOnlyList<string>, float[][]> encodeTexts)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(encodeTexts);
        var perLabel = labels.Select(prompts.PromptsFor).ToList();
        var all = encodeTexts([.. perLabel.SelectMany(p => p)]);
        var result = new float[labels.Count][];
        var next = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var mean = new float[all[0].Length];
            for (var j = 0; j < perLabel[i].Count; j++)
            {
                var e = (float[])all[next++].Clone();
                VectorMath.NormalizeInPlace(e);
                TensorPrimitives.Add(mean, e, mean);
            }

            VectorMath.NormalizeInPlace(mean);
            result[i] = mean;
        }

        return result;
    }

    /// <summary>Classifies one image embedding (a unit vector).</summary>
    public Classification Classify(ReadOnlySpan<float> image, Thresholds? thresholds = null)
    {
        thresholds = Effective(thresholds);
        var scores = new float[Labels.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = TensorPrimitives.Dot(image, LabelEmbeddings[i]);
        }

        return Decide(scores, thresholds);
    }

    /// <summary>
    /// Classifies many image embeddings with one matrix product (images x labels), for bulk labelling of
    /// stored collections.
    /// </summary>
    public Classification[] ClassifyMany(IReadOnlyList<float[]> images, Thresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        var results = new Classification[images.Count];
        Parallel.For(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => results[i] = Classify(images[i], thresholds));
        return results;
    }

    /// <summary>
    /// The decision alone (best label, runner-up, labelled or not) for many images: what bulk labelling needs,
    /// without probabilities or allocations per image. Images are split over the cores.
    /// </summary>
    public TopTwo[] LabelMany(IReadOnlyList<float[]> images, Thresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Any(v => v.Length != _dimension))
        {
            throw new ArgumentException($"every image embedding must have {_dimension} values");
        }

        return LabelAll(images.Count, (i, _) => images[i], Effective(thresholds));
    }

    /// <summary>As <see cref="LabelMany(IReadOnlyList{float[]}, Thresholds?)"/>, for embeddings stored row after row in one buffer.</summary>
    public TopTwo[] LabelRows(ReadOnlyMemory<float> rows, Thresholds? thresholds = null)
    {
        if (rows.Length % _dimension != 0)
        {
            throw new ArgumentException($"the rows must be {_dimension} values each");
        }

        return LabelAll(rows.Length / _dimension, (i, d) => rows.Slice(i * d, d), Effective(thresholds));
    }

    private TopTwo[] LabelAll(int count, Func<int, int, ReadOnlyMemory<float>> image, Thresholds? thresholds)
    {
        var results = new TopTwo[count];
        var chunk = Math.Max(64, count / (Environment.ProcessorCount * 4)) / 4 * 4;
        var blocked = DotKernels.Supports4x4(_dimension);
        var d = _dimension;
        Parallel.For(0, (count + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, c =>
        {
            var end = Math.Min(count, (c + 1) * chunk);
            var i = c * chunk;
            if (blocked)
            {
                var scores = new float[4 * Labels.Count];
                var block = new float[16];
                for (; i + 4 <= end; i += 4)
                {
                    // Four images against four labels at a time: the label matrix is read once per four images.
                    var (v0, v1, v2, v3) = (image(i, d), image(i + 1, d), image(i + 2, d), image(i + 3, d));
                    for (var l = 0; l < Labels.Count; l += 4)
                    {
                        DotKernels.Dot4x4(v0.Span, v1.Span, v2.Span, v3.Span, _matrix, l, d, block);
                        for (var v = 0; v < 4; v++)
                        {
                            for (var r = 0; r < 4 && l + r < Labels.Count; r++)
                            {
                                scores[(v * Labels.Count) + l + r] = block[(4 * v) + r];
                            }
                        }
                    }

                    for (var v = 0; v < 4; v++)
                    {
                        results[i + v] = TopOf(scores.AsSpan(v * Labels.Count, Labels.Count), thresholds);
                    }
                }
            }

            for (; i < end; i++)
            {
                results[i] = Top(image(i, d).Span, thresholds);
            }
        });
        return results;
    }

    private TopTwo Top(ReadOnlySpan<float> image, Thresholds? thresholds)
    {
        Span<float> scores = stackalloc float[(Labels.Count + 3) / 4 * 4];
        for (var i = 0; i < Labels.Count; i += 4)
        {
            DotKernels.Dot4(image, _matrix, i, _dimension, scores[i..]); // each chunk of the image feeds four labels
        }

        return TopOf(scores[..Labels.Count], thresholds);
    }

    private TopTwo TopOf(ReadOnlySpan<float> scores, Thresholds? thresholds)
    {
        int best = -1, second = -1;
        float bestScore = float.NegativeInfinity, secondScore = float.NegativeInfinity;
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            if (score > bestScore)
            {
                (second, secondScore) = (best, bestScore);
                (best, bestScore) = (i, score);
            }
            else if (score > secondScore)
            {
                (second, secondScore) = (i, score);
            }
        }

        return new TopTwo(best, bestScore, second, secondScore, Passes(scores, bestScore, bestScore - secondScore, thresholds));
    }

    /// <summary>
    /// The "none of these" rule: the best score, its margin over the runner-up and its probability must reach the
    /// thresholds. A sigmoid label's probability depends on its own score alone; a softmax one's on all the scores.
    /// </summary>
    private bool Passes(ReadOnlySpan<float> scores, float bestScore, float margin, Thresholds? thresholds)
    {
        if ((thresholds?.MinScore is { } min && bestScore < min) || (thresholds?.MinMargin is { } m && margin < m))
        {
            return false;
        }

        if (thresholds?.MinProbability is not { } p)
        {
            return true;
        }

        if (Scoring.IsSigmoid)
        {
            return bestScore >= Scoring.CosineAt(p);
        }

        var sum = 0.0;
        foreach (var score in scores)
        {
            sum += Math.Exp(Scoring.LogitScale * (score - bestScore));
        }

        return 1 / sum >= p;
    }

    private Classification Decide(float[] scores, Thresholds? thresholds)
    {
        var probabilities = new float[scores.Length];
        Scoring.Probabilities(scores, probabilities);
        var ranked = Enumerable.Range(0, scores.Length)
            .Select(i => new LabelScore(Labels[i], probabilities[i], scores[i]))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Label, StringComparer.Ordinal)
            .ToList();
        var best = ranked[0];
        var margin = ranked.Count > 1 ? best.Score - ranked[1].Score : float.PositiveInfinity;
        return new Classification(ranked, Passes(scores, best.Score, margin, thresholds) ? best.Label : null);
    }
}
