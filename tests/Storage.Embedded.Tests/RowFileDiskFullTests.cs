using ClipSearch.Tests.Shared;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>
/// The row file on a full file system (a small tmpfs, as root). A mapping extends a file sparsely, and the first write
/// to a page the disk has no room for kills the process with SIGBUS (an access violation in .NET): the file's blocks
/// are allocated before they are mapped, so a full disk fails the growth with the runtime's "no space" error instead.
/// </summary>
public sealed class RowFileDiskFullTests
{
    private const int NoSpaceErrno = 28; // ENOSPC

    [SkippableFact]
    public void Grow_OnAFullDisk_FailsAsNoSpace_AndTheRowsMappedBeforeStayWritable()
    {
        Skip.If(TmpfsMount.Unavailable is not null, TmpfsMount.Unavailable);
        using var folder = new TempIndexFolder();
        using var disk = new TmpfsMount(folder.Path, "16m");
        var file = new FileStream(Path.Combine(folder.Path, "r.f32"), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        using var rows = new RowFile(file, 512); // 4,096 rows of 2 KB mapped: 8 MB
        GraphDiskFullTests.Fill(Path.Combine(folder.Path, "filler"));

        var failure = Assert.Throws<IOException>(() => rows.EnsureCapacity(8192));
        Assert.Equal(NoSpaceErrno, failure.HResult);
        Assert.Contains("No space left on the device", failure.Message, StringComparison.Ordinal);
        Assert.Equal(4096, rows.Capacity);

        // Every page of the mapping has its block: writing the last row of it does not need the disk to have room.
        unsafe
        {
            new Span<float>(rows.Row(4095), 512).Fill(0.5f);
            Assert.Equal(0.5f, rows.Row(4095)[511]);
        }
    }
}
