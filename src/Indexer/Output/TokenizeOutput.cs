namespace ClipSearch.Indexer.Output;

/// <summary>One line of <c>clipsearch tokenize</c>: the text tower's exact input ids.</summary>
internal sealed record TokenizeOutput(string Text, IReadOnlyList<long> Ids, bool Truncated);
