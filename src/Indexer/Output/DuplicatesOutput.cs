namespace ClipSearch.Indexer.Output;

/// <summary><c>clipsearch duplicates --json</c>: groups of near-duplicates, largest first.</summary>
internal sealed record DuplicatesOutput(IReadOnlyList<DuplicateGroupOutput> Groups);
