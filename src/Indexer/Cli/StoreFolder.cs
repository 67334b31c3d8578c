using System.Diagnostics.CodeAnalysis;
using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;

namespace ClipSearch.Indexer.Cli;

/// <summary>
/// Whether the folder a writing command (index, categorize) writes to can take its writes, checked before it
/// starts and again when a write fails: a read-only file system, a folder without permission and a full disk each
/// get one line naming the folder instead of SQLite's or the runtime's error.
/// </summary>
internal static class StoreFolder
{
    // errno values (Linux; the runtime gives them as the HResult of the IOException it throws for them).
    private const int NoSpaceErrno = 28; // ENOSPC
    private const int ReadOnlyErrno = 30; // EROFS
    private const int SqliteReadOnly = 8; // SQLITE_READONLY
    private const int SqliteFull = 13; // SQLITE_FULL

    // Below this much free space a failed write is put down to the full disk (SQLite then says only "disk I/O error").
    private const long LowSpaceBytes = 1 << 20;

    /// <summary>Checks that <paramref name="folder"/> (created if missing) takes a small durable write.</summary>
    /// <exception cref="StoreFolderException">It does not; the message says why.</exception>
    public static void EnsureWritable(string folder)
    {
        if (Probe(folder) is { } failure)
        {
            throw Explain(failure, folder) ?? new StoreFolderException($"the index folder {folder} cannot be written: {failure.Message}", ExitCodes.IndexError, failure);
        }
    }

    /// <summary>
    /// When <paramref name="error"/> (thrown while writing to <paramref name="folder"/>) comes from the folder being
    /// full, read-only or not writable, the exception that says so; else false.
    /// </summary>
    public static bool TryExplain(Exception error, string folder, [NotNullWhen(true)] out StoreFolderException? explained)
    {
        explained = error is StoreFolderException ? null : Explain(error, folder);
        if (explained is null && IsWriteFailure(error) && Probe(folder) is { } probe)
        {
            explained = Explain(probe, folder);
        }

        if (explained is null && IsWriteFailure(error) && FreeBytes(folder) < LowSpaceBytes)
        {
            explained = NoSpace(folder, error);
        }

        return explained is not null;
    }

    private static StoreFolderException? Explain(Exception error, string folder)
    {
        var chain = Chain(error).ToList();
        if (chain.Any(e => e is IOException { HResult: NoSpaceErrno } or SqliteException { SqliteErrorCode: SqliteFull }))
        {
            return NoSpace(folder, error);
        }

        if (chain.Any(e => e is IOException { HResult: ReadOnlyErrno } or SqliteException { SqliteErrorCode: SqliteReadOnly }))
        {
            return new StoreFolderException(
                $"the index folder {folder} is read-only (its file system is mounted read-only, or the index files cannot be written); " +
                "use a folder that can be written (--store) or remount it read-write", ExitCodes.IndexError, error);
        }

        return chain.OfType<UnauthorizedAccessException>().FirstOrDefault() is { } denied
            ? new StoreFolderException($"the index folder {folder} cannot be written: permission denied ({denied.Message})", ExitCodes.IndexError, error)
            : null;
    }

    private static StoreFolderException NoSpace(string folder, Exception error) => new(
        $"no space left on device: the index folder {folder} cannot be written; free some space there and run again " +
        "(what was written so far is kept, the run resumes where it stopped)", ExitCodes.NoSpace, error);

    private static bool IsWriteFailure(Exception error) => Chain(error).Any(e => e is IOException or SqliteException or UnauthorizedAccessException
        or VectorStoreException { Kind: VectorStoreErrorKind.Failed } or InvalidOperationException);

    /// <summary>Writes and removes a small file in <paramref name="folder"/>; the failure, or null when it worked.</summary>
    private static Exception? Probe(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, $".write-check-{Environment.ProcessId}");
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            stream.Write(new byte[4096]);
            stream.Flush(flushToDisk: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e;
        }
    }

    private static long FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return long.MaxValue;
        }
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
