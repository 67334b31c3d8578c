using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// open(2) and statx(2) on Linux: .NET's own open blocks on a FIFO and cannot say what kind of file a handle holds.
/// statx's structure has one layout on every Linux architecture, unlike stat's.
/// </summary>
internal static partial class NativeFiles
{
    // Same values on x86-64 and arm64.
    private const int ReadOnly = 0, NoControllingTerminal = 0x100, NonBlocking = 0x800, CloseOnExec = 0x80000;
    private const int EmptyPath = 0x1000;
    private const uint BasicStats = 0x7ff;
    private const int TypeMask = 0xF000, RegularType = 0x8000;

    /// <summary>Opens <paramref name="path"/> for reading without blocking on a FIFO or a device; null when it cannot be opened.</summary>
    public static SafeFileHandle? Open(string path)
    {
        var fd = OpenNative(path, ReadOnly | NonBlocking | CloseOnExec | NoControllingTerminal);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>The identity of the opened file, or null when it is not a regular file.</summary>
    public static FileIdentity? RegularFile(SafeFileHandle handle)
    {
        var success = false;
        handle.DangerousAddRef(ref success);
        try
        {
            var stat = default(StatX);
            if (StatXNative((int)handle.DangerousGetHandle(), "", EmptyPath, BasicStats, ref stat) != 0 || (stat.Mode & TypeMask) != RegularType)
            {
                return null;
            }

            var device = ((ulong)stat.DevMajor << 32) | stat.DevMinor;
            return new FileIdentity(device, stat.Inode, (long)stat.Size, stat.ModifiedSeconds * 1_000_000_000 + stat.ModifiedNanoseconds,
                stat.ChangedSeconds * 1_000_000_000 + stat.ChangedNanoseconds);
        }
        finally
        {
            if (success)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The path the kernel holds for the opened file (every link along the way resolved), or null.</summary>
    public static string? PathOf(SafeFileHandle handle)
    {
        var success = false;
        handle.DangerousAddRef(ref success);
        try
        {
            return new FileInfo($"/proc/self/fd/{(int)handle.DangerousGetHandle()}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        finally
        {
            if (success)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatXNative(int dirfd, string path, int flags, uint mask, ref StatX buffer);

    /// <summary>struct statx (linux/stat.h), 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatX
    {
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long ChangedSeconds;
        [FieldOffset(104)] public uint ChangedNanoseconds;
        [FieldOffset(112)] public long ModifiedSeconds;
        [FieldOffset(120)] public uint ModifiedNanoseconds;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }
}
