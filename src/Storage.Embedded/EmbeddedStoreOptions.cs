using System.ComponentModel.DataAnnotations;
using ClipSearch.Storage.Embedded.Ann;

namespace ClipSearch.Storage.Embedded;

/// <summary>The embedded vector store (configuration section <c>ClipSearch:Index:Embedded</c>).</summary>
public sealed class EmbeddedStoreOptions
{
    public const string SectionName = "ClipSearch:Index:Embedded";

    /// <summary>The folder holding the index (created if missing).</summary>
    [Required]
    public string Path { get; set; } = "clipsearch-index";

    /// <summary>How long a writer waits for another process's write to finish before giving up with a clear message.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Threads one search may use to scan vectors; 0 = one per core.</summary>
    [Range(0, 256)]
    public int SearchThreads { get; set; }

    /// <summary>What exact scans read: the float32 vectors, or an int8 copy (1/4 of the bytes) with float32 re-scoring of the best candidates.</summary>
    public ScanPrecision ScanPrecision { get; set; } = ScanPrecision.Full;

    /// <summary>auto: the HNSW graph for collections past <see cref="AnnOptions.Threshold"/>, exact below; exact: always scan.</summary>
    public SearchMode SearchMode { get; set; } = SearchMode.Auto;

    /// <summary>The approximate index.</summary>
    public AnnOptions Ann { get; set; } = new();

    /// <summary>
    /// Label row keys the change log keeps per collection (<see cref="LabelRows"/>): another process further behind reads
    /// the collection's label rows whole. Tests lower it to reach that case.
    /// </summary>
    internal int LabelLogKeys { get; set; } = LabelRows.LogKeys;
}
