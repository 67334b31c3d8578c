using ClipSearch.Core.Index;
using ClipSearch.Indexing;

namespace ClipSearch.Engine.Stores;

/// <summary>An opened vector index and where the indexer keeps its own state for it (skipped files, the writer lock).</summary>
public sealed class StoreContext(IVectorStore store, string stateFolder, string description, string? embeddedFolder) : IDisposable
{
    private readonly Lock _gate = new();
    private IndexerState? _state;

    public IVectorStore Store { get; } = store;

    /// <summary>The index's location, for messages: a folder, or "Qdrant at URL".</summary>
    public string Description { get; } = description;

    /// <summary>The local folder where the indexer's state and per-collection calibrations are kept (the embedded index's own folder).</summary>
    public string StateFolder { get; } = stateFolder;

    /// <summary>The embedded index's folder; null for Qdrant.</summary>
    public string? EmbeddedFolder { get; } = embeddedFolder;

    /// <summary>The indexer's state, opened on first use.</summary>
    public IndexerState State
    {
        get
        {
            lock (_gate)
            {
                return _state ??= IndexerState.Open(StateFolder);
            }
        }
    }

    public void Dispose()
    {
        _state?.Dispose();
        Store.Dispose();
    }
}
