namespace ClipSearch.Core.Embeddings;

/// <summary>The limits an image encoder decodes untrusted files within; files over them are skipped with the reason.</summary>
/// <param name="MaxFileBytes">Largest file read at all.</param>
/// <param name="MaxPixels">Largest width x height decoded.</param>
/// <param name="Timeout">Longest time one decode may take.</param>
public sealed record ImageLimits(long MaxFileBytes, long MaxPixels, TimeSpan Timeout);
