using System.ComponentModel.DataAnnotations;
using ClipSearch.Core.Index;

namespace ClipSearch.SearchApi.Common;

/// <summary>
/// The API's own keys of the <c>ClipSearch</c> configuration section: appsettings.json, environment variables
/// (<c>ClipSearch__ApiKey</c>) and command-line arguments (<c>--ClipSearch:MaxK=500</c>) bind the same way; validated at
/// start. The model, the index and decoding are the engine's settings, the same as the CLI's
/// (<see cref="Engine.Models.ModelSettings"/>, <see cref="Engine.Stores.IndexSettings"/>, <see cref="Engine.Imaging.DecodingSettings"/>).
/// </summary>
public sealed class ClipSearchOptions
{
    public const string SectionName = "ClipSearch";

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

    /// <summary>Folder for resized thumbnails; default a "thumbnails" folder beside the embedded index (or in the temp folder for Qdrant).</summary>
    public string? ThumbnailCache { get; set; }
}
