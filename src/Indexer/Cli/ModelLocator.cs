namespace ClipSearch.Indexer.Cli;

/// <summary>Finds the model folder a command should use.</summary>
internal static class ModelLocator
{
    public const string EnvironmentVariable = "CLIPSEARCH_MODEL";

    /// <summary>The tiny CLIP copied beside the executable at build time (models/tiny-clip in the repository).</summary>
    public static string BundledModel => Path.Combine(AppContext.BaseDirectory, "models", "tiny-clip");

    /// <summary>--model when given, else $CLIPSEARCH_MODEL, else the bundled model.</summary>
    public static string Resolve(DirectoryInfo? option)
    {
        if (option is not null)
        {
            return option.FullName;
        }

        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(env) ? BundledModel : Path.GetFullPath(env);
    }
}
