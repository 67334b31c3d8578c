using ClipSearch.Engine.Configuration;
using ClipSearch.Storage.Embedded;
using ClipSearch.Storage.Qdrant;
using Microsoft.Extensions.Logging;

namespace ClipSearch.Engine.Stores;

/// <summary>Opens the vector index the settings name: one rule for every front end.</summary>
public static class StoreFactory
{
    public static StoreContext Open(IndexSettings settings, ILoggerFactory? logging = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.UsesQdrant ? OpenQdrant(settings.Qdrant) : OpenEmbedded(settings.Embedded, logging);
    }

    /// <summary>An embedded index; the indexer's state lives inside its folder.</summary>
    public static StoreContext OpenEmbedded(EmbeddedStoreOptions options, ILoggerFactory? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new EmbeddedVectorStore(options, logging?.CreateLogger<EmbeddedVectorStore>());
        return new StoreContext(store, store.Folder, store.Folder, store.Folder);
    }

    /// <summary>A Qdrant server; the indexer's state lives in the user's state folder, one per server.</summary>
    public static StoreContext OpenQdrant(QdrantStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new QdrantVectorStore(options);
        return new StoreContext(store, QdrantStateFolder(store.Url), $"Qdrant at {store.Url}", null);
    }

    /// <summary>
    /// The local folder the settings' index writes to, without opening anything: the embedded index's folder, or
    /// the indexer's state folder of a Qdrant server (so that a command can check it can write there first).
    /// </summary>
    public static string LocalFolder(IndexSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.UsesQdrant ? QdrantStateFolder(settings.Qdrant.Url!) : Path.GetFullPath(settings.Embedded.Path);
    }

    private static string QdrantStateFolder(Uri url) => Path.Combine(UserFolders.State("qdrant"), $"{url.Host}_{url.Port}");
}
