namespace ClipSearch.Indexer.Output;

/// <summary>One element of <c>clipsearch skipped --json</c> (an array).</summary>
internal sealed record SkippedFileOutput(string Path, string Reason, string Detail);
