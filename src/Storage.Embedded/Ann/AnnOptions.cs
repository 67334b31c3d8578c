using System.ComponentModel.DataAnnotations;

namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>When and how the embedded store builds its approximate (HNSW) index.</summary>
public sealed class AnnOptions
{
    /// <summary>Collections with at least this many points get an HNSW index; smaller ones are always searched exactly.</summary>
    [Range(1, int.MaxValue)]
    public int Threshold { get; set; } = 50_000;

    /// <summary>HNSW graph degree (M).</summary>
    [Range(4, 128)]
    public int Connectivity { get; set; } = 16;

    /// <summary>Candidate list size while building (ef_construction).</summary>
    [Range(8, 2048)]
    public int ExpansionAdd { get; set; } = 200;

    /// <summary>Candidate list size while searching (ef).</summary>
    [Range(8, 4096)]
    public int ExpansionSearch { get; set; } = 64;

    /// <summary>Threads adding to the graph in the background (never the indexing path).</summary>
    [Range(1, 256)]
    public int BuildThreads { get; set; } = Math.Max(1, Environment.ProcessorCount);
}
