namespace ClipSearch.Indexer.Output;

/// <summary><c>clipsearch classify --json</c>: the line of an image that could not be read ("reason: detail").</summary>
internal sealed record ClassifyErrorOutput(string Input, string Error);
