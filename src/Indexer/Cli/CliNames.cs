using ClipSearch.Engine.Configuration;

namespace ClipSearch.Indexer.Cli;

/// <summary>How the command line spells the engine's settings, for messages that say what to change.</summary>
internal static class CliNames
{
    public static SettingNames Settings { get; } = new(
        $"--model (or ${EnvironmentSettings.Model})",
        $"--variant (or ${EnvironmentSettings.Variant})",
        $"--store (or ${EnvironmentSettings.Store})",
        $"--qdrant (or ${EnvironmentSettings.Qdrant})");

    private static readonly (string Key, string Flag)[] Flags =
    [
        (SettingKeys.StorePath, "--store"),
        (SettingKeys.QdrantUrl, "--qdrant"),
        (SettingKeys.QdrantApiKey, "--qdrant-api-key"),
        (SettingKeys.Model, "--model"),
        (SettingKeys.Variant, "--variant"),
        (SettingKeys.DecodeTimeout, "--timeout"),
        (SettingKeys.DecodeWorkers, "--workers"),
    ];

    /// <summary>A settings message with each configuration key the CLI has a flag for written as that flag.</summary>
    public static string InFlags(string message)
    {
        foreach (var (key, flag) in Flags)
        {
            message = message.Replace(key, flag, StringComparison.Ordinal);
        }

        return message;
    }
}
