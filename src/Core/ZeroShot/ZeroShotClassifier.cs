using System.Numerics.Tensors;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;

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
    /// The thresholds for labelling an image with every label that passes on its own (<see cref="TagRows"/>): those given, else the
    /// family's default. Each label must reach them by itself, so they must be per-label ones: a minimum score (cosine), or a
    /// sigmoid model's probability (its own yes/no). A margin (best against runner-up) or a softmax probability (a share among the
    /// labels given) says nothing about a second label, and a softmax model has no per-label threshold by default.
    /// </summary>
    /// <exception cref="ArgumentException">Thresholds that cannot decide each label alone.</exception>
    /// <exception cref="ZeroShotScoringException">A probability threshold for a model whose scale and bias are not known.</exception>
    public Thresholds EffectiveMultiLabel(Thresholds? given)
    {
        var effective = Effective(given);
        if (effective.MinMargin is not null)
        {
            throw new ArgumentException("a minimum margin compares the best label with the runner-up; with several labels per image each label stands alone: give a minimum score or, for a sigmoid model, a minimum probability");
        }

        if (!Scoring.IsSigmoid && effective.MinProbability is not null)
        {
            throw new ArgumentException("this model's probabilities (softmax, as CLIP's) are shares among the labels given, not a yes/no per label: with several labels per image give a minimum score (cosine similarity) instead");
        }

        if (effective.MinScore is null && effective.MinProbability is null)
        {
            throw new ArgumentException(Scoring.IsSigmoid
                ? "several labels per image need a per-label threshold, and this model's probabilities are unknown: give a minimum score (cosine similarity)"
                : "several labels per image need a per-label threshold, and a softmax model (CLIP) has none by default: give a minimum score (cosine similarity), e.g. 0.25");
        }

        return effective;
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

        var effective = Effective(thresholds);
        return LabelAll(images.Count, (i, _) => images[i], scores => TopOf(scores, effective));
    }

    /// <summary>As <see cref="LabelMany(IReadOnlyList{float[]}, Thresholds?)"/>, for embeddings stored row after row in one buffer.</summary>
    public TopTwo[] LabelRows(ReadOnlyMemory<float> rows, Thresholds? thresholds = null)
    {
        if (rows.Length % _dimension != 0)
        {
            throw new ArgumentException($"the rows must be {_dimension} values each");
        }

        var effective = Effective(thresholds);
        return LabelAll(rows.Length / _dimension, (i, d) => rows.Slice(i * d, d), scores => TopOf(scores, effective));
    }

    /// <summary>
    /// The decision for embeddings stored row after row: with <paramref name="multiLabel"/>, each image also gets every further
    /// label that reaches <paramref name="thresholds"/> on its own (see <see cref="EffectiveMultiLabel"/>); without, as
    /// <see cref="LabelRows"/>. <paramref name="thresholds"/> are used as given (already effective).
    /// </summary>
    public LabelTags[] TagRows(ReadOnlyMemory<float> rows, Thresholds thresholds, bool multiLabel)
    {
        if (rows.Length % _dimension != 0)
        {
            throw new ArgumentException($"the rows must be {_dimension} values each");
        }

        return Tag(rows.Length / _dimension, (i, d) => rows.Slice(i * d, d), thresholds, multiLabel);
    }

    /// <summary>As <see cref="TagRows"/>, for embeddings one array each.</summary>
    public LabelTags[] TagMany(IReadOnlyList<float[]> images, Thresholds thresholds, bool multiLabel)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Any(v => v.Length != _dimension))
        {
            throw new ArgumentException($"every image embedding must have {_dimension} values");
        }

        return Tag(images.Count, (i, _) => images[i], thresholds, multiLabel);
    }

    private LabelTags[] Tag(int count, Func<int, int, ReadOnlyMemory<float>> image, Thresholds thresholds, bool multiLabel)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        if (!multiLabel)
        {
            return LabelAll(count, image, scores => new LabelTags(TopOf(scores, thresholds), null));
        }

        // Every label at or above one cosine cut passes: the minimum score and, for a sigmoid model, the cosine of the minimum probability.
        var cut = Math.Max(thresholds.MinScore ?? float.NegativeInfinity, thresholds.MinProbability is { } p ? Scoring.CosineAt(p) : float.NegativeInfinity);
        return LabelAll(count, image, scores =>
        {
            var top = TopOf(scores, thresholds);
            List<ScoredLabel>? also = null;
            for (var i = 0; top.Labelled && i < scores.Length; i++)
            {
                if (i != top.Best && scores[i] >= cut)
                {
                    (also ??= []).Add(new ScoredLabel(Labels[i], scores[i]));
                }
            }

            also?.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.Label, b.Label));
            return new LabelTags(top, also is null ? [] : [.. also]);
        });
    }

    // What one image's scores (one per label) are turned into.
    private delegate T Decision<T>(ReadOnlySpan<float> scores);

    private T[] LabelAll<T>(int count, Func<int, int, ReadOnlyMemory<float>> image, Decision<T> decide)
    {
        var results = new T[count];
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
                        results[i + v] = decide(scores.AsSpan(v * Labels.Count, Labels.Count));
                    }
                }
            }

            for (; i < end; i++)
            {
                results[i] = Top(image(i, d).Span, decide);
            }
        });
        return results;
    }

    private T Top<T>(ReadOnlySpan<float> image, Decision<T> decide)
    {
        Span<float> scores = stackalloc float[(Labels.Count + 3) / 4 * 4];
        for (var i = 0; i < Labels.Count; i += 4)
        {
            DotKernels.Dot4(image, _matrix, i, _dimension, scores[i..]); // each chunk of the image feeds four labels
        }

        return decide(scores[..Labels.Count]);
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
