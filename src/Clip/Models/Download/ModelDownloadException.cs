namespace ClipSearch.Clip.Models.Download;

/// <summary>A download that could not be completed; the message says which file and why.</summary>
public sealed class ModelDownloadException(string message, Exception? inner = null) : Exception(message, inner);
