using System.Runtime.InteropServices;

namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>
/// Zeroed native memory for the graph's rows and lists, aligned to a cache line (a 512-byte row then spans exactly
/// 8 lines). Zeroed by the allocator (calloc: large blocks are fresh pages, committed when first written), so room
/// reserved ahead costs no resident memory until rows are added. Native rather than managed: one block can exceed
/// the 2 GB of a .NET array (4 million 512-d rows), and the garbage collector never scans or moves it.
/// </summary>
internal sealed unsafe class NativeRegion : IDisposable
{
    private void* _allocation;

    public NativeRegion(nuint bytes)
    {
        _allocation = NativeMemory.AllocZeroed(bytes + 64);
        Pointer = (void*)(((nuint)_allocation + 63) & ~(nuint)63);
    }

    /// <summary>The start of the region, aligned to a cache line.</summary>
    public void* Pointer { get; private set; }

    public void Dispose()
    {
        if (_allocation != null)
        {
            NativeMemory.Free(_allocation);
            _allocation = null;
            Pointer = null;
        }
    }
}
