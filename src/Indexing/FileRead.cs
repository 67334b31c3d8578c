using ClipSearch.Core;

namespace ClipSearch.Indexing;

/// <summary>
/// A file read whole: its content and hash as of <paramref name="File"/> (size and time when read), or the reason
/// it was not read (<see cref="FileOutcome.Vanished"/>, <see cref="FileOutcome.Ignored"/>, or skipped with <paramref name="Failure"/>).
/// </summary>
internal readonly record struct FileRead(FileOutcome Outcome, ScannedFile? File, byte[]? Content, string? Hash, ImageFailure? Failure);
