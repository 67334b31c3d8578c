using ClipSearch.Core.Ranking;

namespace ClipSearch.Indexer.Output;

/// <summary><c>clipsearch eval --json</c>'s search quality: precision@10, mean average precision, and per cut-off method its shown sets' worth.</summary>
internal sealed record RetrievalOutput(int Queries, double PrecisionAt10, double MeanAveragePrecision, float CalibratedThreshold, string DefaultCutoff,
    IReadOnlyDictionary<string, CutoffQualityOutput> Cutoffs)
{
    public static RetrievalOutput From(RetrievalEvaluation r) => new(r.Queries, Math.Round(r.PrecisionAt10, 6), Math.Round(r.MeanAveragePrecision, 6),
        MathF.Round(r.CalibratedThreshold, 6), Core.Ranking.Cutoffs.Default.ToString().ToLowerInvariant(),
        r.Cutoffs.ToDictionary(c => c.Method.ToString().ToLowerInvariant(),
            c => new CutoffQualityOutput(Math.Round(c.Precision, 6), Math.Round(c.Recall, 6), Math.Round(c.F1, 6), Math.Round(c.Shown, 2))));
}

/// <summary>One cut-off method's mean precision, recall, F1 and results shown per query.</summary>
internal sealed record CutoffQualityOutput(double Precision, double Recall, double F1, double Shown);
