namespace ClipSearch.Indexer.Output;

/// <summary>One timed configuration of the scale benchmark: ef, with or without the ~10% filter, queries/s on one thread, recall@k.</summary>
internal sealed record ScaleQueryOutput(int Ef, bool Filtered, double QueriesPerSecond, double Recall);
