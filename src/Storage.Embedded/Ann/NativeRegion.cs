using System.Runtime.InteropServices;

namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>
/// Zeroed native memory for the graph's rows and lists. On Linux it is mapped directly and marked for transparent
/// huge pages (madvise MADV_HUGEPAGE; most distributions enable them only on request): a graph search jumps
/// between rows at random, and with 4 KiB pages nearly every jump also misses the TLB. Pages are committed only
/// when first written, so room reserved ahead costs no resident memory. Elsewhere it is calloc'd, cache-line aligned.
/// </summary>
internal sealed unsafe partial class NativeRegion : IDisposable
{
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 2;
    private const int MapAnonymous = 0x20;
    private const int MadvHugePage = 14;

    private readonly void* _allocation;
    private readonly bool _mapped;

    public NativeRegion(nuint bytes)
    {
        Bytes = bytes;
        if (OperatingSystem.IsLinux())
        {
            var address = Mmap(null, bytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if ((nint)address != -1)
            {
                // Advice only: refused (no THP support), the region simply keeps small pages.
                _ = Madvise(address, bytes, MadvHugePage);
                _allocation = address;
                Pointer = address;
                _mapped = true;
                return;
            }
        }

        _allocation = NativeMemory.AllocZeroed(bytes + 64);
        Pointer = (void*)(((nuint)_allocation + 63) & ~(nuint)63);
    }

    /// <summary>The start of the region, aligned to at least a cache line.</summary>
    public void* Pointer { get; private set; }

    public nuint Bytes { get; }

    public void Dispose()
    {
        if (Pointer == null)
        {
            return;
        }

        if (_mapped)
        {
            _ = Munmap(_allocation, Bytes);
        }
        else
        {
            NativeMemory.Free(_allocation);
        }

        Pointer = null;
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
