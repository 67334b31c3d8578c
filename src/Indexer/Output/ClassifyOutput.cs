using ClipSearch.Core.ZeroShot;

namespace ClipSearch.Indexer.Output;

/// <summary><c>clipsearch classify --json</c>: one line per image that could be read, its labels most probable first.</summary>
internal sealed record ClassifyOutput(string Input, IReadOnlyList<LabelProbabilityOutput> Labels)
{
    public static ClassifyOutput From(string input, Classification result, int top) => new(input,
        [.. result.Labels.OrderByDescending(s => s.Probability).Take(top).Select(s => new LabelProbabilityOutput(s.Label, Math.Round(s.Probability, 6), Math.Round(s.Score, 6)))]);
}
