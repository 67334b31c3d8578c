namespace ClipSearch.Indexer.Output;

/// <summary><c>clipsearch eval --model A --model B --json</c>: every model's result on the same images, in the order given.</summary>
internal sealed record EvalComparisonOutput(IReadOnlyList<EvalModelOutput> Models);
