namespace ClipSearch.Indexer.Output;

/// <summary>One line of <c>models list --json</c>: a model <c>models pull</c> can download, and the variants already pulled.</summary>
internal sealed record ModelsListOutput(string Name, string Description, int Dimension, IReadOnlyList<string> Variants, IReadOnlyList<string> Pulled, string Folder);
