namespace ClipSearch.Indexer.Output;

/// <summary>
/// One timed configuration of the scale benchmark: ef, with or without the ~10% filter, queries/s on one thread (wall
/// clock), queries per CPU second of the process (what one uncontended core would do: the figure that holds on a shared
/// machine), recall@k, and the share of queries that found none of their true k (a search lost in the wrong part
/// of the graph, where a partial miss is a near tie missed). <c>FirstPassQueriesPerSecond</c>: the first of the three
/// timed passes, the one that reads its queries' rows for the first time (the median pass finds them in the page
/// cache): when the row file does not fit in the page cache, what queries never asked before get, at the first ef measured.
/// </summary>
internal sealed record ScaleQueryOutput(int Ef, bool Filtered, double QueriesPerSecond, double QueriesPerCpuSecond, double Recall, double Missed,
    double FirstPassQueriesPerSecond);
