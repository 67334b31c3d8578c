namespace ClipSearch.Indexer.Output;

/// <summary>The <c>clipsearch embed</c> line of an input that failed ("reason: detail").</summary>
internal sealed record EmbedErrorOutput(string Kind, string Input, string Error);
