namespace ClipSearch.Clip.Models.Download;

/// <summary>Progress of a model download.</summary>
/// <param name="File">The file being fetched (local path).</param>
/// <param name="FileBytes">Bytes of it on disk so far.</param>
/// <param name="FileSize">Its size, when the server said.</param>
/// <param name="TotalBytes">Bytes of all files done or on disk so far.</param>
/// <param name="BytesPerSecond">Transfer rate of this run.</param>
public sealed record DownloadProgress(string File, long FileBytes, long? FileSize, long TotalBytes, double BytesPerSecond);
