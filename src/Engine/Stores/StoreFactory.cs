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
        return new StoreContext(store, Path.Combine(UserFolders.State("qdrant"), $"{store.Url.Host}_{store.Url.Port}"), $"Qdrant at {store.Url}", null);
    }
}
