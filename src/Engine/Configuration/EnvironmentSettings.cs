using Microsoft.Extensions.Configuration;

namespace ClipSearch.Engine.Configuration;

/// <summary>
/// The <c>CLIPSEARCH_*</c> environment variables and the setting each one fills. Every front end adds them to its
/// configuration, below its own sources (the API's <c>ClipSearch__*</c> variables and arguments, the CLI's flags).
/// </summary>
public static class EnvironmentSettings
{
    public const string Model = "CLIPSEARCH_MODEL";
    public const string Variant = "CLIPSEARCH_VARIANT";
    public const string Device = "CLIPSEARCH_DEVICE";
    public const string ModelsFolder = "CLIPSEARCH_MODELS";
    public const string GraphCache = "CLIPSEARCH_GRAPH_CACHE";
    public const string Store = "CLIPSEARCH_STORE";
    public const string Qdrant = "CLIPSEARCH_QDRANT";
    public const string QdrantApiKey = "CLIPSEARCH_QDRANT_API_KEY";

    /// <summary>Each variable and the key it sets.</summary>
    public static IReadOnlyDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Model] = SettingKeys.Model,
        [Variant] = SettingKeys.Variant,
        [Device] = SettingKeys.Device,
        [ModelsFolder] = SettingKeys.ModelsFolder,
        [GraphCache] = SettingKeys.GraphCacheFolder,
        [Store] = SettingKeys.StorePath,
        [Qdrant] = SettingKeys.QdrantUrl,
        [QdrantApiKey] = SettingKeys.QdrantApiKey,
    };

    /// <summary>The settings the set, non-empty variables give (<paramref name="lookup"/>: the process environment by default).</summary>
    public static Dictionary<string, string?> Read(Func<string, string?>? lookup = null)
    {
        lookup ??= Environment.GetEnvironmentVariable;
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in Keys)
        {
            if (lookup(variable) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                values[key] = value;
            }
        }

        return values;
    }

    /// <summary>Adds the variables' settings as a configuration source (read once, now).</summary>
    public static IConfigurationBuilder AddClipSearchEnvironment(this IConfigurationBuilder builder, Func<string, string?>? lookup = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddInMemoryCollection(Read(lookup));
    }
}
