using System.Numerics.Tensors;

namespace ClipSearch.Core.Ranking;

/// <summary>
/// Search quality on labelled images, each class name used as a query over all of them: precision of the first 10, mean
/// average precision, and for each cut-off method the precision and recall of the set it shows (means over the classes).
/// </summary>
/// <param name="Queries">Classes used as queries.</param>
/// <param name="PrecisionAt10">Mean share of the class among the first 10 results.</param>
/// <param name="MeanAveragePrecision">Mean over the classes of the average precision of the full ranking.</param>
/// <param name="Cutoffs">Per cut-off method: what its shown sets are worth.</param>
/// <param name="CalibratedThreshold">The calibrated threshold used (from <see cref="ProbeQueries"/> over these images).</param>
public sealed record RetrievalEvaluation(int Queries, double PrecisionAt10, double MeanAveragePrecision, IReadOnlyList<CutoffQuality> Cutoffs, float CalibratedThreshold)
{
    /// <summary>The methods measured, in report order.</summary>
    public static IReadOnlyList<CutoffMethod> Methods { get; } = [CutoffMethod.Jump, CutoffMethod.Relative, CutoffMethod.Calibrated, CutoffMethod.None];

    /// <summary>
    /// Ranks <paramref name="images"/> (unit vectors, with their class) against each class's query embedding in
    /// <paramref name="queries"/> (normalised here); <paramref name="calibratedThreshold"/> is the collection's calibrated cut.
    /// </summary>
    public static RetrievalEvaluation Run(IReadOnlyList<(string Truth, float[] Embedding)> images, IReadOnlyDictionary<string, float[]> queries,
        float calibratedThreshold)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(queries);
        double p10 = 0, ap = 0;
        var sums = Methods.ToDictionary(m => m, _ => (Precision: 0.0, Recall: 0.0, F1: 0.0, Shown: 0.0));
        foreach (var (label, embedding) in queries)
        {
            var query = (float[])embedding.Clone();
            VectorMath.NormalizeInPlace(query);
            var ranked = images.Select((image, i) => (Relevant: image.Truth == label, Score: TensorPrimitives.Dot(query, image.Embedding), Index: i))
                .OrderByDescending(r => r.Score).ThenBy(r => r.Index).ToList();
            var relevant = ranked.Count(r => r.Relevant);
            p10 += ranked.Take(10).Count(r => r.Relevant) / (double)Math.Min(10, ranked.Count);
            ap += AveragePrecision(ranked.Select(r => r.Relevant).ToList(), relevant);
            var scores = ranked.Select(r => r.Score).ToArray();
            foreach (var method in Methods)
            {
                var keep = Ranking.Cutoffs.Keep(scores, method, calibratedThreshold);
                var hits = ranked.Take(keep).Count(r => r.Relevant);
                var precision = keep == 0 ? 1 : hits / (double)keep;
                var recall = relevant == 0 ? 1 : hits / (double)relevant;
                var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
                var s = sums[method];
                sums[method] = (s.Precision + precision, s.Recall + recall, s.F1 + f1, s.Shown + keep);
            }
        }

        var n = Math.Max(1, queries.Count);
        return new RetrievalEvaluation(queries.Count, p10 / n, ap / n,
            [.. Methods.Select(m => new CutoffQuality(m, sums[m].Precision / n, sums[m].Recall / n, sums[m].F1 / n, sums[m].Shown / n))], calibratedThreshold);
    }

    private static double AveragePrecision(List<bool> relevance, int relevant)
    {
        if (relevant == 0)
        {
            return 0;
        }

        double sum = 0;
        var found = 0;
        for (var i = 0; i < relevance.Count; i++)
        {
            if (relevance[i])
            {
                found++;
                sum += found / (double)(i + 1);
            }
        }

        return sum / relevant;
    }
}

/// <summary>What one cut-off method's shown sets are worth: mean precision, recall and F1 over the queries, and how many it shows on average.</summary>
public sealed record CutoffQuality(CutoffMethod Method, double Precision, double Recall, double F1, double Shown);
