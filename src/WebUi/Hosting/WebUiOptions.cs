using System.ComponentModel.DataAnnotations;

namespace ClipSearch.WebUi.Hosting;

/// <summary>The <c>ClipSearch</c> section as the web UI reads it: where the Search API is.</summary>
public sealed class WebUiOptions
{
    public const string SectionName = "ClipSearch";

    /// <summary>Base URL of the Search API, e.g. http://127.0.0.1:5080 (setting <c>ClipSearch:ApiUrl</c>).</summary>
    [Required(ErrorMessage = "ClipSearch:ApiUrl is required: the base URL of the Search API, e.g. http://127.0.0.1:5080.")]
    public Uri? ApiUrl { get; set; }

    /// <summary>How long one API call may take before the UI says the API is unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
