using Microsoft.Win32.SafeHandles;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// A collection file opened once and checked through its own handle: whatever happens to the names on disk
/// afterwards (a link swapped in, the file replaced), what is read from <see cref="Handle"/> is the file that was
/// checked. Everything the API serves, hashes or thumbnails from a collection is read from one of these.
/// </summary>
internal sealed class OpenedFile : IDisposable
{
    private OpenedFile(SafeFileHandle handle, FileIdentity identity, DateTimeOffset lastModified)
    {
        Handle = handle;
        Identity = identity;
        LastModified = lastModified;
    }

    public SafeFileHandle Handle { get; }

    public FileIdentity Identity { get; }

    public long Length => Identity.Size;

    public DateTimeOffset LastModified { get; }

    /// <summary>
    /// Opens <paramref name="path"/> and keeps it only when the opened file is a regular file whose real path (read from
    /// the handle, so after every link was followed) lies inside <paramref name="realRoot"/>; null otherwise.
    /// </summary>
    public static OpenedFile? Open(string path, string realRoot)
    {
        var prefix = realRoot.EndsWith(Path.DirectorySeparatorChar) ? realRoot : realRoot + Path.DirectorySeparatorChar;
        if (!OperatingSystem.IsLinux())
        {
            return OpenChecked(path, prefix);
        }

        var handle = NativeFiles.Open(path);
        if (handle is null)
        {
            return null;
        }

        if (NativeFiles.RegularFile(handle) is { } identity && NativeFiles.PathOf(handle) is { } real && real.StartsWith(prefix, StringComparison.Ordinal))
        {
            return new OpenedFile(handle, identity, DateTimeOffset.FromUnixTimeMilliseconds(identity.ModifiedNs / 1_000_000));
        }

        handle.Dispose();
        return null;
    }

    /// <summary>A stream over the file from its start; disposing the stream closes the file.</summary>
    public Stream OpenRead() => new FileStream(Handle, FileAccess.Read, bufferSize: 0);

    /// <summary>The whole file, read through the handle.</summary>
    public byte[] ReadAll()
    {
        var bytes = new byte[Length];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(Handle, bytes.AsSpan(read), read);
            if (n == 0)
            {
                return bytes[..read]; // shortened while open: what is there now
            }

            read += n;
        }

        return bytes;
    }

    public void Dispose() => Handle.Dispose();

    // Elsewhere than Linux no handle can tell its own path: check the real path, then open (a narrow race remains, said in the README).
    private static OpenedFile? OpenChecked(string path, string prefix)
    {
        var real = CollectionFiles.RealPath(path);
        if (real is null || !real.StartsWith(prefix, StringComparison.Ordinal) || !File.Exists(real))
        {
            return null;
        }

        try
        {
            var handle = File.OpenHandle(real);
            var info = new FileInfo(real);
            var modified = info.LastWriteTimeUtc.Ticks * 100;
            return new OpenedFile(handle, new FileIdentity(0, 0, RandomAccess.GetLength(handle), modified, modified), info.LastWriteTimeUtc);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
