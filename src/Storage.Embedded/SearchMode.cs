namespace ClipSearch.Storage.Embedded;

/// <summary>How the embedded store answers a search.</summary>
public enum SearchMode
{
    /// <summary>Exact scan for small collections and selective filters; the HNSW graph for large ones.</summary>
    Auto,

    /// <summary>Always an exact scan (recall 1.0).</summary>
    Exact,
}
