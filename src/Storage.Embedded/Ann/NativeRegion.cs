using System.Runtime.InteropServices;

namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>
/// Zeroed native memory for the graph's rows and lists, aligned to a cache line (a 512-byte row then spans exactly
/// 8 lines). On Linux it is mapped directly (mmap): pages are committed only when first written, so the room an
/// index reserves ahead costs no resident memory until rows are added. (calloc does the same only above glibc's
/// mmap threshold, which it raises to as much as 32 MB as blocks are freed; below it, calloc zeroes, and so
/// commits, the whole block: 20-40 MB more resident at 200,000 points in the index benchmark.) Elsewhere it is
/// calloc'd. Native rather
/// than managed: one block can exceed the 2 GB of a .NET array, and the garbage collector never scans or moves it.
/// </summary>
internal sealed unsafe partial class NativeRegion : IDisposable
{
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 2;
    private const int MapAnonymous = 0x20;

    private readonly nuint _bytes;
    private readonly bool _mapped;
    private void* _allocation;

    public NativeRegion(nuint bytes)
    {
        _bytes = bytes;
        if (OperatingSystem.IsLinux())
        {
            var address = Mmap(null, bytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if ((nint)address != -1)
            {
                _allocation = address;
                _mapped = true;
                Pointer = address; // page-aligned
                return;
            }
        }

        _allocation = NativeMemory.AllocZeroed(bytes + 64);
        Pointer = (void*)(((nuint)_allocation + 63) & ~(nuint)63);
    }

    /// <summary>The start of the region, aligned to at least a cache line.</summary>
    public void* Pointer { get; private set; }

    public void Dispose()
    {
        if (_allocation == null)
        {
            return;
        }

        if (_mapped)
        {
            _ = Munmap(_allocation, _bytes);
        }
        else
        {
            NativeMemory.Free(_allocation);
        }

        _allocation = null;
        Pointer = null;
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);
}
