namespace ClipSearch.Core.Embeddings;

/// <summary>Whether a collection's embeddings can be compared with an encoder's: the one rule every front end applies.</summary>
public static class ModelCompatibility
{
    /// <summary>
    /// True when <paramref name="encoder"/>'s vectors live in the space of a collection filled by
    /// <paramref name="collectionModelId"/> with <paramref name="collectionDimension"/> floats: the same model id, or
    /// (for an encoder that shares other models' space) one of those models under any weight variant.
    /// </summary>
    public static bool CanQuery(string collectionModelId, int collectionDimension, IEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(collectionModelId);
        ArgumentNullException.ThrowIfNull(encoder);
        if (collectionDimension != encoder.Dimension)
        {
            return false;
        }

        return collectionModelId == encoder.ModelId || encoder.SharedSpaces.Contains(ModelName(collectionModelId), StringComparer.Ordinal);
    }

    /// <summary>A model id without its <c>:variant</c> suffix ("org/model:quantized" gives "org/model").</summary>
    public static string ModelName(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        var colon = modelId.LastIndexOf(':');
        return colon > 0 && colon < modelId.Length - 1 && modelId.IndexOf('/', colon) < 0 ? modelId[..colon] : modelId;
    }
}
