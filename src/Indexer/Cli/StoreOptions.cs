using System.CommandLine;
using ClipSearch.Core.Index;
using ClipSearch.Engine.Configuration;

namespace ClipSearch.Indexer.Cli;

/// <summary>
/// Which index a command works on (<c>--store DIR</c>, the embedded index, by default; or <c>--qdrant URL</c>) and
/// the collection in it, read into the engine's index settings. Declared once, read back from a parse result.
/// </summary>
internal sealed class StoreOptions : ISettingOptions
{
    public Option<DirectoryInfo?> Store { get; } = new("--store")
    {
        Description = $"Folder of the embedded index (default: ${EnvironmentSettings.Store}, else ~/.local/share/clipsearch/index).",
    };

    public Option<Uri?> Qdrant { get; } = new("--qdrant")
    {
        Description = $"Use a Qdrant server instead of the embedded index: its gRPC URL, e.g. http://localhost:6334 (default: ${EnvironmentSettings.Qdrant}).",
        CustomParser = CommonOptions.ParseUrl,
    };

    public Option<string?> QdrantApiKey { get; } = new("--qdrant-api-key")
    {
        Description = $"API key of the Qdrant server (default: ${EnvironmentSettings.QdrantApiKey}).",
    };

    public Option<string> Collection { get; } = new("--collection", "-c")
    {
        Description = "Collection name.",
        DefaultValueFactory = _ => CollectionNames.Default,
    };

    public void AddTo(Command command, bool withCollection = true)
    {
        command.Options.Add(Store);
        command.Options.Add(Qdrant);
        command.Options.Add(QdrantApiKey);
        if (withCollection)
        {
            command.Options.Add(Collection);
        }

        command.Validators.Add(r =>
        {
            if (r.GetResult(Store) is { Implicit: false } && r.GetResult(Qdrant) is { Implicit: false })
            {
                r.AddError("Give either --store (embedded index) or --qdrant (server), not both.");
            }
        });
    }

    public IEnumerable<KeyValuePair<string, string?>> Settings(ParseResult parse)
    {
        if (parse.GetValue(Store) is { } folder)
        {
            yield return new(SettingKeys.StorePath, folder.FullName);
            yield return new(SettingKeys.QdrantUrl, ""); // --store beats a $CLIPSEARCH_QDRANT of the environment
        }

        if (parse.GetValue(Qdrant) is { } url)
        {
            yield return new(SettingKeys.QdrantUrl, url.ToString());
        }

        if (parse.GetValue(QdrantApiKey) is { } key)
        {
            yield return new(SettingKeys.QdrantApiKey, key);
        }
    }

    public string CollectionName(ParseResult parse) => parse.GetValue(Collection) ?? CollectionNames.Default;
}
