namespace ClipSearch.SearchApi.Hosting;

/// <summary>The <c>ClipSearch:Qdrant</c> section.</summary>
public sealed class QdrantSettings
{
    /// <summary>gRPC URL of the server, e.g. http://qdrant:6334.</summary>
    public Uri? Url { get; set; }

    public string? ApiKey { get; set; }
}
