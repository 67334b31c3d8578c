using System.Text.Json.Serialization;
using ClipSearch.Core.Ranking;
using ClipSearch.Core.ZeroShot;

namespace ClipSearch.Indexer.Output;

/// <summary>
/// <c>clipsearch eval --json</c>: accuracy overall and per class (label: top-1 accuracy); <paramref name="Templates"/>
/// only with --compare-templates; <paramref name="Retrieval"/>: search quality with each class name as a query.
/// </summary>
internal sealed record EvalOutput(int Images, double Top1, double Top5, double ImagesPerSecond, IReadOnlyDictionary<string, double> PerClass,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<TemplateAccuracyOutput>? Templates,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RetrievalOutput? Retrieval = null)
{
    public static EvalOutput From(Evaluation result, double imagesPerSecond, IReadOnlyList<(string Name, Evaluation Result)> comparison,
        RetrievalEvaluation? retrieval = null) => new(
        result.Images, Math.Round(result.Top1, 6), Math.Round(result.Top5, 6), Math.Round(imagesPerSecond, 2),
        new SortedDictionary<string, double>(result.PerClass.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 6)), StringComparer.Ordinal),
        comparison.Count == 0 ? null : [.. comparison.Select(c => new TemplateAccuracyOutput(c.Name, Math.Round(c.Result.Top1, 6), Math.Round(c.Result.Top5, 6)))],
        retrieval is null ? null : RetrievalOutput.From(retrieval));
}
