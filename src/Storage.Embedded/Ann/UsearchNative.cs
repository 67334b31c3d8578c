using System.Runtime.InteropServices;

namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>
/// USearch's C API (libusearch_c, shipped by the Cloud.Unum.USearch package). Its C# wrapper has no
/// filtered search, no thread settings and no reserve, which an index shared by concurrent searches needs.
/// Every call reports failure through <c>error</c> (a C string, null when fine).
/// </summary>
internal static unsafe partial class UsearchNative
{
    private const string Library = "usearch_c";

    public const uint MetricCos = 1;
    public const uint MetricIp = 2;
    public const uint ScalarFloat32 = 1;
    public const uint ScalarFloat16 = 3;
    public const uint ScalarInt8 = 4;

    [StructLayout(LayoutKind.Sequential)]
    public struct InitOptions
    {
        public uint MetricKind;
        public nint Metric;
        public uint Quantization;
        public nuint Dimensions;
        public nuint Connectivity;
        public nuint ExpansionAdd;
        public nuint ExpansionSearch;
        public byte Multi;
    }

    [LibraryImport(Library, EntryPoint = "usearch_init")]
    public static partial nint Init(InitOptions* options, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_free")]
    public static partial void Free(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_save", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void Save(nint index, string path, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_load", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void Load(nint index, string path, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_size")]
    public static partial nuint Size(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_capacity")]
    public static partial nuint Capacity(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_reserve")]
    public static partial void Reserve(nint index, nuint capacity, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_add")]
    public static partial void ChangeThreadsAdd(nint index, nuint threads, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_search")]
    public static partial void ChangeThreadsSearch(nint index, nuint threads, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_change_expansion_search")]
    public static partial void ChangeExpansionSearch(nint index, nuint expansion, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_add")]
    public static partial void Add(nint index, ulong key, float* vector, uint vectorKind, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_remove")]
    public static partial nuint Remove(nint index, ulong key, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_contains")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool Contains(nint index, ulong key, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_search")]
    public static partial nuint Search(nint index, float* query, uint queryKind, nuint count, ulong* keys, float* distances, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_filtered_search")]
    public static partial nuint FilteredSearch(nint index, float* query, uint queryKind, nuint count,
        delegate* unmanaged[Cdecl]<ulong, nint, int> filter, nint filterState, ulong* keys, float* distances, out nint error);

    /// <summary>Throws when a call reported an error.</summary>
    public static void Check(nint error, string doing)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"USearch could not {doing}: {Marshal.PtrToStringUTF8(error)}");
        }
    }
}
