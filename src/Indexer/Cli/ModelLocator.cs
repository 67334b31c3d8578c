using ClipSearch.Clip.Models.Download;
using ClipSearch.Indexing;

namespace ClipSearch.Indexer.Cli;

/// <summary>Finds the model folder a command should use.</summary>
internal static class ModelLocator
{
    public const string EnvironmentVariable = "CLIPSEARCH_MODEL";
    public const string ModelsFolderVariable = "CLIPSEARCH_MODELS";

    /// <summary>The tiny CLIP copied beside the executable at build time (models/tiny-clip in the repository).</summary>
    public static string BundledModel => Path.Combine(AppContext.BaseDirectory, "models", "tiny-clip");

    /// <summary>Where <c>models pull</c> puts models: $CLIPSEARCH_MODELS, else ~/.local/share/clipsearch/models.</summary>
    public static string ModelsFolder() => UserFolders.FromEnvironment(ModelsFolderVariable, UserFolders.Data("models"));

    /// <summary>The folder a catalogue model is pulled into.</summary>
    public static string PulledFolder(CatalogueModel model) => Path.Combine(ModelsFolder(), model.FolderName);

    /// <summary>
    /// --model when given (a folder, or the name of a pulled model such as openai/clip-vit-base-patch32), else
    /// $CLIPSEARCH_MODEL (the same), else the bundled model.
    /// </summary>
    public static string Resolve(DirectoryInfo? option) =>
        option is not null ? Resolve(option.ToString()) : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? Resolve(env) : BundledModel;

    private static string Resolve(string value)
    {
        if (Directory.Exists(value))
        {
            return Path.GetFullPath(value);
        }

        if (ModelCatalogue.Find(value) is { } known && Directory.Exists(PulledFolder(known)))
        {
            return PulledFolder(known);
        }

        return Path.GetFullPath(value); // does not exist: loading it explains
    }
}
