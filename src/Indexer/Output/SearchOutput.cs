namespace ClipSearch.Indexer.Output;

/// <summary><c>clipsearch search --json</c>: the hits, best first.</summary>
internal sealed record SearchOutput(IReadOnlyList<ScoredImageOutput> Hits);
