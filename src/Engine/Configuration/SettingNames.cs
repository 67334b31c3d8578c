namespace ClipSearch.Engine.Configuration;

/// <summary>
/// How a front end's users spell the settings, for messages that say exactly what to change: configuration keys
/// for the Search API, flags for the CLI.
/// </summary>
public sealed record SettingNames(string Model, string Variant, string Store, string Qdrant)
{
    /// <summary>The configuration keys (appsettings.json, <c>--ClipSearch:Model=...</c>, <c>ClipSearch__Model</c>).</summary>
    public static SettingNames Configuration { get; } = new(SettingKeys.Model, SettingKeys.Variant, SettingKeys.StorePath, SettingKeys.QdrantUrl);
}
