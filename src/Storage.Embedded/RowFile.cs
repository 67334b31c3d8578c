using System.IO.MemoryMappedFiles;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// A collection's float32 rows (slot x dimension, contiguous) in a file mapped into memory: the pages are the
/// kernel's page cache, so ten million 512-d rows (20 GB) cost no managed or anonymous memory, only the pages
/// searches touch. Grown in chunks by re-mapping; the pointer changes then, so it is read only under the table's
/// lock (growth happens under its write lock). The file is a cache of the database: see <see cref="RowFiles"/>.
/// </summary>
internal sealed unsafe partial class RowFile : IDisposable
{
    // A chunk of growth: at least this many rows, or an eighth of the capacity, whichever is larger. Its disk blocks are
    // allocated (see Allocate), so the slack is disk really taken: at most 12.5% (2.5 GB at 10M rows of 512), for ~70
    // re-mappings on the way to 10M (cheap: a mapping of the same file, its pages stay in the page cache).
    private const int ChunkRows = 4096;

    private readonly FileStream _file;
    private readonly long _rowBytes;
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private byte* _pointer;

    public RowFile(FileStream file, int dimension)
    {
        _file = file;
        Dimension = dimension;
        _rowBytes = (long)dimension * sizeof(float);
        Map(Math.Max(ChunkRows, file.Length / _rowBytes));
    }

    public int Dimension { get; }

    /// <summary>Rows the mapping holds.</summary>
    public long Capacity { get; private set; }

    /// <summary>The first row; valid until the next <see cref="EnsureCapacity"/> or <see cref="Dispose"/>.</summary>
    public float* Pointer => (float*)_pointer;

    /// <summary>The file's path (for a private file opened beside a locked one, a name already deleted).</summary>
    public string Path => _file.Name;

    public float* Row(int slot) => (float*)(_pointer + (slot * _rowBytes));

    /// <summary>
    /// Asks the kernel to read these rows' pages now, all together (Linux: madvise MADV_WILLNEED, which starts the reads
    /// and returns). A row whose page is not in the page cache (a store larger than the memory left to cache it, as at
    /// ten million rows) otherwise costs one disk read when it is first touched, and the graph's candidates are touched
    /// one after another: their reads wait in turn, each also pulling in the 128 KB read-around of a mapped fault.
    /// Asked for together, they overlap, and only their own pages are read.
    /// <para>
    /// The call costs 1.7-6.3 us a row even when the page is resident (tools/bench/page_costs.c), a fifth of a search at 1M rows
    /// for 20 rows, so it is made only while rows are found missing: every 64th call (the first included) asks the
    /// kernel which of its rows' pages are resident (mincore) and keeps a running share of the missing ones; above 1%
    /// the rows are asked for.
    /// </para>
    /// </summary>
    public void WillNeed(ReadOnlySpan<int> slots)
    {
        if (!OperatingSystem.IsLinux() || slots.IsEmpty)
        {
            return;
        }

        if ((Interlocked.Increment(ref _willNeedCalls) & 63) == 1)
        {
            Sample(slots);
        }

        if (!Advising)
        {
            return;
        }

        foreach (var slot in slots)
        {
            var (first, length) = Pages(slot);
            _ = Madvise(_pointer + first, length, WillNeedAdvice); // a hint: its failure changes nothing
        }
    }

    /// <summary>Whether <see cref="WillNeed"/> asks for rows: the last samples found some of them out of the page cache.</summary>
    public bool Advising => MissingShare > 0.01;

    /// <summary>The running share of sampled rows found out of the page cache (0 until a sample finds one).</summary>
    public double MissingShare => Volatile.Read(ref _missingShare);

    private long _willNeedCalls;

    private double _missingShare;

    private void Sample(ReadOnlySpan<int> slots)
    {
        var missing = 0;
        byte resident = 0;
        foreach (var slot in slots)
        {
            // The page holding the row's start: enough for an estimate (a 2 KB row never spans two 4 KB pages).
            var (first, _) = Pages(slot);
            if (Mincore(_pointer + first, 1, &resident) == 0 && (resident & 1) == 0)
            {
                missing++;
            }
        }

        // A lost update between two samplers only delays the average.
        var share = Volatile.Read(ref _missingShare);
        Volatile.Write(ref _missingShare, (share * 0.75) + (missing / (double)slots.Length * 0.25));
    }

    private (long First, nuint Length) Pages(int slot)
    {
        var start = slot * _rowBytes;
        var first = start & ~(long)(Environment.SystemPageSize - 1);
        return (first, (nuint)(start + _rowBytes - first));
    }

    private const int WillNeedAdvice = 3; // MADV_WILLNEED

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(byte* address, nuint length, int advice);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "mincore")]
    private static partial int Mincore(byte* address, nuint length, byte* vector);

    public void EnsureCapacity(int rows)
    {
        if (rows > Capacity)
        {
            Map(Math.Max(rows, Capacity + Math.Max(ChunkRows, Capacity / 8)));
        }
    }

    /// <summary>Forgets every row (the file is rebuilt from the database).</summary>
    public void Truncate()
    {
        Unmap();
        _file.SetLength(0);
        Map(ChunkRows);
    }

    /// <summary>Writes dirty pages to disk (before the stamp that vouches for them is written).</summary>
    public void Flush()
    {
        _view?.Flush();
        _file.Flush(flushToDisk: true);
    }

    private void Map(long rows)
    {
        var bytes = Math.Max(rows * _rowBytes, _file.Length);
        Allocate(bytes); // before unmapping: when it fails, the rows mapped so far stay usable
        Unmap();
        _map = MemoryMappedFile.CreateFromFile(_file, null, bytes, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        _view = _map.CreateViewAccessor(0, bytes, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _pointer = pointer + _view.PointerOffset;
        Capacity = bytes / _rowBytes;
    }

    /// <summary>
    /// Gives the file its disk blocks up to <paramref name="bytes"/> before they are mapped (Linux: posix_fallocate).
    /// A mapping only extends a file sparsely, and a page first written to a full disk then kills the process with
    /// SIGBUS (an access violation in .NET) instead of failing a write: allocated here, a full disk is an IOException
    /// of the growth, which the write reports. File systems without the call keep the file sparse, as before.
    /// </summary>
    private void Allocate(long bytes)
    {
        if (!OperatingSystem.IsLinux() || bytes <= _file.Length)
        {
            return;
        }

        // From 0, not from the old end: a file written by an earlier version is sparse throughout, and its holes need
        // blocks as much as the new tail (the call skips what is allocated already).
        var error = PosixFallocate((int)_file.SafeFileHandle.DangerousGetHandle(), 0, bytes);
        if (error is NoSpace or QuotaExceeded)
        {
            // ENOSPC as the HResult, as the runtime gives it for a failed write: the CLI tells a full disk by it.
            throw new IOException($"No space left on the device (or over quota) for the vector rows: {_file.Name} needs {(bytes - _file.Length) / (1 << 20):N0} MB more.",
                NoSpace);
        }
    }

    private const int NoSpace = 28; // ENOSPC

    private const int QuotaExceeded = 122; // EDQUOT

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "posix_fallocate")]
    private static partial int PosixFallocate(int fd, long offset, long length);

    private void Unmap()
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _view = null;
        }

        _map?.Dispose();
        _map = null;
        _pointer = null;
    }

    public void Dispose()
    {
        Unmap();
        _file.Dispose();
    }
}
