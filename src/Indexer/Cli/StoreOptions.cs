using System.CommandLine;
using ClipSearch.Core.Index;
using ClipSearch.Indexing;
using ClipSearch.Storage.Embedded;
using ClipSearch.Storage.Qdrant;

namespace ClipSearch.Indexer.Cli;

/// <summary>
/// Which index a command works on: the embedded one (a folder, the default) or a Qdrant server, and the
/// collection in it. Declared once, read back from a parse result.
/// </summary>
internal sealed class StoreOptions
{
    public const string StoreVariable = UserFolders.StoreVariable;
    public const string QdrantVariable = "CLIPSEARCH_QDRANT";
    public const string QdrantKeyVariable = "CLIPSEARCH_QDRANT_API_KEY";

    public Option<DirectoryInfo?> Store { get; } = new("--store")
    {
        Description = $"Folder of the embedded index (default: ${StoreVariable}, else ~/.local/share/clipsearch/index).",
    };

    public Option<Uri?> Qdrant { get; } = new("--qdrant")
    {
        Description = $"Use a Qdrant server instead of the embedded index: its gRPC URL, e.g. http://localhost:6334 (default: ${QdrantVariable}).",
        CustomParser = CommonOptions.ParseUrl,
    };

    public Option<string?> QdrantApiKey { get; } = new("--qdrant-api-key")
    {
        Description = $"API key of the Qdrant server (default: ${QdrantKeyVariable}).",
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

    /// <summary>The embedded index folder a command defaults to.</summary>
    public static string DefaultStoreFolder() => UserFolders.DefaultStore();

    /// <summary>Opens the chosen index and the indexer's state beside it.</summary>
    public StoreContext Open(ParseResult parse)
    {
        var qdrant = parse.GetValue(Qdrant) ?? (Environment.GetEnvironmentVariable(QdrantVariable) is { Length: > 0 } q && parse.GetValue(Store) is null
            ? new Uri(q) : null);
        return qdrant is not null
            ? OpenQdrant(qdrant, parse.GetValue(QdrantApiKey))
            : OpenEmbedded(parse.GetValue(Store)?.FullName ?? DefaultStoreFolder());
    }

    /// <summary>A Qdrant server (API key: <paramref name="apiKey"/>, else $CLIPSEARCH_QDRANT_API_KEY), the indexer's state in the user's state folder.</summary>
    public static StoreContext OpenQdrant(Uri url, string? apiKey)
    {
        var store = new QdrantVectorStore(new QdrantStoreOptions
        {
            Url = url,
            ApiKey = apiKey ?? Environment.GetEnvironmentVariable(QdrantKeyVariable),
        });
        return new StoreContext(store, QdrantStateFolder(url), $"Qdrant at {url}");
    }

    /// <summary>An embedded index folder, the indexer's state inside it.</summary>
    public static StoreContext OpenEmbedded(string folder) =>
        new(new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = folder }), folder, folder);

    /// <summary>The indexer's local state for a Qdrant server: skipped files and the writer lock.</summary>
    private static string QdrantStateFolder(Uri url) => Path.Combine(UserFolders.State("qdrant"), $"{url.Host}_{url.Port}");

    public string CollectionName(ParseResult parse) => parse.GetValue(Collection) ?? CollectionNames.Default;
}

/// <summary>An opened index and where the indexer keeps its state for it.</summary>
internal sealed class StoreContext(IVectorStore store, string stateFolder, string description) : IDisposable
{
    private IndexerState? _state;

    public IVectorStore Store { get; } = store;

    /// <summary>The index's location, for messages.</summary>
    public string Description { get; } = description;

    public IndexerState State => _state ??= IndexerState.Open(stateFolder);

    public void Dispose()
    {
        _state?.Dispose();
        Store.Dispose();
    }
}
