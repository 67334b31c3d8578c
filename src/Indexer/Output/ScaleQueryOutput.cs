namespace ClipSearch.Indexer.Output;

/// <summary>
/// One timed configuration of the scale benchmark: ef, with or without the ~10% filter, queries/s on one thread (wall
/// clock), queries per CPU second of the process (what one uncontended core would do: the figure that holds on a shared
/// machine), recall@k.
/// </summary>
internal sealed record ScaleQueryOutput(int Ef, bool Filtered, double QueriesPerSecond, double QueriesPerCpuSecond, double Recall);
