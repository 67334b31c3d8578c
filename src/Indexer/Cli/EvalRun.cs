using ClipSearch.Core.Ranking;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Cli;

/// <summary>One model's evaluation in <c>clipsearch eval</c>: which model and variant, its family, the result and its speed.</summary>
internal sealed record EvalRun(string Model, string? Variant, string Family, Evaluation Result, double ImagesPerSecond,
    IReadOnlyList<(string Name, Evaluation Result)> Templates, int Failed, RetrievalEvaluation? Retrieval = null)
{
    /// <summary>"model" or "model (variant)".</summary>
    public string Name => Variant is null ? Model : $"{Model} ({Variant})";

    public EvalModelOutput ToOutput()
    {
        var single = EvalOutput.From(Result, ImagesPerSecond, []);
        return new EvalModelOutput(Model, Variant, Family, single.Images, single.Top1, single.Top5, single.ImagesPerSecond, single.PerClass);
    }
}
