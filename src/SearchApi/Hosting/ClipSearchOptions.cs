using System.ComponentModel.DataAnnotations;
using ClipSearch.Clip.Inference;
using ClipSearch.Core.Index;

namespace ClipSearch.SearchApi.Hosting;

/// <summary>
/// The <c>ClipSearch</c> configuration section: appsettings.json, environment variables (<c>ClipSearch__Store</c>)
/// and command-line arguments (<c>--ClipSearch:Store=/data/index</c>) bind the same way. Validated at start.
/// </summary>
public sealed class ClipSearchOptions
{
    public const string SectionName = "ClipSearch";

    /// <summary>Folder of the embedded index; default ~/.local/share/clipsearch/index, as the CLI. Ignored when <see cref="Qdrant"/> has a URL.</summary>
    public string? Store { get; set; }

    /// <summary>A Qdrant server to use instead of the embedded index.</summary>
    public QdrantSettings Qdrant { get; set; } = new();

    /// <summary>Model folder (a Hugging Face / fastembed CLIP export); the bundled tiny model when absent.</summary>
    public string? Model { get; set; }

    /// <summary>auto (CUDA when usable, else CPU), cpu or cuda.</summary>
    public ExecutionDevice Device { get; set; } = ExecutionDevice.Auto;

    /// <summary>When set, writing labels back (and cancelling jobs) needs this key in the X-Api-Key header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Collection used when a request names none.</summary>
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    public string DefaultCollection { get; set; } = CollectionNames.Default;

    /// <summary>Largest image upload accepted (bytes); larger ones get 413.</summary>
    [Range(1024, 1L << 31)]
    public long MaxUploadBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>How long an uploaded image's embedding stays available under its uploadId for combined queries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan UploadRetention { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Requests per minute and client (IP address) on the search, upload and zero-shot endpoints; 0 turns rate limiting off.</summary>
    [Range(0, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 1200;

    /// <summary>Origins allowed to call the API from a browser (CORS); none by default.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Largest k (results per page).</summary>
    [Range(1, VectorQuery.MaxK)]
    public int MaxK { get; set; } = 1000;

    /// <summary>Most labels in one classification or categorization.</summary>
    [Range(2, 10_000)]
    public int MaxLabels { get; set; } = 500;

    /// <summary>Text embeddings of queries and prompts kept in memory.</summary>
    [Range(0, 1_000_000)]
    public int TextCacheEntries { get; set; } = 4096;

    /// <summary>
    /// Decode uploads in worker processes, so that no upload can hang or crash the API. (Thumbnails are made in this
    /// process, with the same limits, from files the indexer has already decoded in its workers.)
    /// </summary>
    public bool IsolateDecoding { get; set; } = true;

    /// <summary>Folder for resized thumbnails; default a "thumbnails" folder beside the embedded index (or in the temp folder for Qdrant).</summary>
    public string? ThumbnailCache { get; set; }
}
