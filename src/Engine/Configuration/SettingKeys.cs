namespace ClipSearch.Engine.Configuration;

/// <summary>
/// The configuration keys of the engine's settings, one per concept. The Search API reads them the ASP.NET Core
/// way (appsettings.json, <c>ClipSearch__Model</c> environment variables, <c>--ClipSearch:Model=...</c>); the CLI
/// fills the same keys from its flags; both fill them from the <c>CLIPSEARCH_*</c> variables (<see cref="EnvironmentSettings"/>).
/// </summary>
public static class SettingKeys
{
    public const string Section = "ClipSearch";

    public const string Model = "ClipSearch:Model";
    public const string Variant = "ClipSearch:Variant";
    public const string Device = "ClipSearch:Device";
    public const string BatchSize = "ClipSearch:BatchSize";
    public const string ImageStreams = "ClipSearch:ImageStreams";
    public const string ModelsFolder = "ClipSearch:ModelsFolder";
    public const string GraphCacheFolder = "ClipSearch:GraphCacheFolder";

    public const string IndexSection = "ClipSearch:Index";
    public const string StorePath = "ClipSearch:Index:Embedded:Path";
    public const string QdrantUrl = "ClipSearch:Index:Qdrant:Url";
    public const string QdrantApiKey = "ClipSearch:Index:Qdrant:ApiKey";

    public const string DecodingSection = "ClipSearch:Decoding";
    public const string DecodeTimeout = "ClipSearch:Decoding:Timeout";
    public const string DecodeWorkers = "ClipSearch:Decoding:Workers";

    /// <summary>Keys of earlier releases that now have another name: a start with one of them is refused, naming the new key.</summary>
    public static IReadOnlyDictionary<string, string> Renamed { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["ClipSearch:Store"] = StorePath,
        ["ClipSearch:Qdrant:Url"] = QdrantUrl,
        ["ClipSearch:Qdrant:ApiKey"] = QdrantApiKey,
        ["ClipSearch:IsolateDecoding"] = "ClipSearch:Decoding:Isolate",
    };
}
