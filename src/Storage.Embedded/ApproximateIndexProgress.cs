namespace ClipSearch.Storage.Embedded;

/// <summary>How far the background HNSW graph of a collection has come: points it holds of the points there are.</summary>
public readonly record struct ApproximateIndexProgress(int Held, int Total);
