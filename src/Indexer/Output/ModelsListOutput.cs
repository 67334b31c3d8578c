namespace ClipSearch.Indexer.Output;

/// <summary>
/// One line of <c>models list --json</c>: a model <c>models pull</c> can download, what it is, and the variants already
/// pulled. <c>approximate_bytes</c> holds only the variants whose download size a source states.
/// </summary>
internal sealed record ModelsListOutput(string Name, string Description, string Family, int Dimension, IReadOnlyList<string> Languages, bool TextOnly,
    IReadOnlyList<string> SharesSpaceWith, IReadOnlyList<string> Variants, IReadOnlyDictionary<string, long> ApproximateBytes, IReadOnlyList<string> Pulled, string Folder);
