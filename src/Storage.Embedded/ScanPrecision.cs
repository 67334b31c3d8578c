namespace ClipSearch.Storage.Embedded;

/// <summary>What an exact scan reads.</summary>
public enum ScanPrecision
{
    /// <summary>The float32 vectors: exact scores.</summary>
    Full,

    /// <summary>
    /// An int8 copy (a quarter of the bytes, so about four times less memory traffic), then the best
    /// candidates re-scored with the float32 vectors: the returned scores are exact and the ranking almost always is.
    /// </summary>
    Int8Rerank,
}
