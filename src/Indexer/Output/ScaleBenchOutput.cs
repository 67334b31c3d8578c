namespace ClipSearch.Indexer.Output;

/// <summary><c>bench index --synthetic N --json</c>: the scale benchmark's figures (memory in MB, times in seconds).</summary>
internal sealed record ScaleBenchOutput(int Rows, int Dimension, int Clusters, int Latent, int Queries, int EfConstruction, int BuildThreads,
    double InsertSeconds, double BuildSeconds, double BuildRowsPerSecond, ScaleMemoryOutput AfterBuild, double TruthSeconds, IReadOnlyList<ScaleQueryOutput> Passes,
    ScaleMemoryOutput BeforeRestart, double RestartSeconds, bool RowsRestored, bool GraphReloaded, ScaleMemoryOutput AfterRestart, ScaleQueryOutput AfterRestartPass,
    double AnonMbPerMillion, bool Reused = false);
