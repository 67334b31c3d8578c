namespace ClipSearch.Indexer.Output;

/// <summary><c>clipsearch migrate --json</c>: what was copied where.</summary>
internal sealed record MigrateOutput(string Collection, string TargetCollection, string Target, long Points, double ElapsedSeconds);
