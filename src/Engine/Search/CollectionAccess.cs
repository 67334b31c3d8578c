using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Stores;

namespace ClipSearch.Engine.Search;

/// <summary>
/// Opens the collections of the configured index for an encoder. A collection filled by another model is refused
/// with a message naming both models and the setting that would select the one that filled it.
/// </summary>
public sealed class CollectionAccess(StoreContext store, EngineHost host)
{
    public StoreContext Store { get; } = store;

    /// <summary>An existing collection whose embeddings <paramref name="encoder"/>'s can be compared with.</summary>
    /// <exception cref="VectorStoreException">CollectionNotFound, ModelMismatch (with what to change), InvalidRequest, Unavailable.</exception>
    public async Task<IVectorCollection> OpenAsync(string name, IEncoder encoder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (encoder.SharedSpace is { } space)
        {
            // A model sharing another's image space: the store's exact check would refuse that model's collections.
            var stored = await OpenStoredAsync(name, cancellationToken).ConfigureAwait(false);
            return ModelCompatibility.CanQuery(stored.ModelId, stored.Dimension, encoder)
                ? stored
                : throw new VectorStoreException(VectorStoreErrorKind.ModelMismatch,
                    $"Collection '{name}' holds {stored.Dimension}-dimensional embeddings of model '{stored.ModelId}', but the model in use, '{encoder.ModelId}' ({encoder.Dimension} dimensions), "
                    + $"shares the image space of '{space}' and searches only its own collections and those indexed with '{space}': "
                    + $"{ModelIds.WhatToChange(stored.ModelId, encoder.ModelId, host.Names)}, or index the images with '{space}'.");
        }

        try
        {
            return await Store.Store.OpenCollectionAsync(name, encoder.ModelId, encoder.Dimension, cancellationToken).ConfigureAwait(false);
        }
        catch (VectorStoreException e) when (e.Kind == VectorStoreErrorKind.ModelMismatch)
        {
            throw await ExplainAsync(name, encoder, e, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The collection for <paramref name="encoder"/>, created when missing (indexing).</summary>
    public async Task<IVectorCollection> OpenOrCreateAsync(string name, IEncoder encoder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        try
        {
            return await OpenAsync(name, encoder, cancellationToken).ConfigureAwait(false);
        }
        catch (VectorStoreException e) when (e.Kind == VectorStoreErrorKind.CollectionNotFound)
        {
            try
            {
                return await Store.Store.CreateCollectionAsync(name, encoder.ModelId, encoder.Dimension, cancellationToken).ConfigureAwait(false);
            }
            catch (VectorStoreException race) when (race.Kind == VectorStoreErrorKind.CollectionExists)
            {
                return await OpenAsync(name, encoder, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>An existing collection whatever model filled it: for work on stored embeddings alone (similar images, duplicates, listings).</summary>
    public Task<IVectorCollection> OpenStoredAsync(string name, CancellationToken cancellationToken = default) =>
        Store.Store.OpenCollectionAsync(name, null, null, cancellationToken);

    private async Task<VectorStoreException> ExplainAsync(string name, IEncoder encoder, VectorStoreException refusal, CancellationToken cancellationToken)
    {
        IVectorCollection stored;
        try
        {
            stored = await OpenStoredAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (VectorStoreException)
        {
            return refusal; // not one of ours at all (a foreign Qdrant collection): the backend's words say it
        }

        return new VectorStoreException(VectorStoreErrorKind.ModelMismatch,
            $"Collection '{name}' holds {stored.Dimension}-dimensional embeddings of model '{stored.ModelId}', but the model in use is '{encoder.ModelId}' ({encoder.Dimension} dimensions). "
            + $"Embeddings of different models cannot be compared: {ModelIds.WhatToChange(stored.ModelId, encoder.ModelId, host.Names)}, or re-index the images with this model into another collection.",
            refusal);
    }
}
