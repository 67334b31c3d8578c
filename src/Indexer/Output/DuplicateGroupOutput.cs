namespace ClipSearch.Indexer.Output;

/// <summary>One group of near-duplicates; each score is the similarity to the group's first image.</summary>
internal sealed record DuplicateGroupOutput(IReadOnlyList<ScoredImageOutput> Images);
