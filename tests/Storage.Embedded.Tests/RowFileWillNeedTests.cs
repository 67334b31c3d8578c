using System.Runtime.InteropServices;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>
/// <see cref="RowFile.WillNeed"/> on a row file whose pages were dropped from the page cache: the asked rows' pages are
/// read in (mincore says resident) without being touched, and a row far from them is not. Linux only; skipped where
/// the file system keeps every page in memory (tmpfs), since nothing can be dropped there.
/// </summary>
public sealed partial class RowFileWillNeedTests
{
    private const int Dimension = 512; // 2 KB rows: two to a page

    [SkippableFact]
    public unsafe void WillNeed_RowsOutOfThePageCache_ReadsTheirPagesInAndNoOthers()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "madvise and mincore are Linux calls");
        using var folder = new TempIndexFolder();
        Directory.CreateDirectory(folder.Path);
        var path = Path.Combine(folder.Path, "r.f32");
        using (var written = new RowFile(new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None), Dimension)) // 4,096 rows: 8 MB
        {
            for (var slot = 0; slot < written.Capacity; slot++)
            {
                new Span<float>(written.Row(slot), Dimension).Fill(slot);
            }

            written.Flush(); // clean pages, which the kernel may drop once nothing maps them
        }

        using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            Assert.Equal(0, PosixFadvise((int)reader.SafeFileHandle.DangerousGetHandle(), 0, 0, DontNeed));
        }

        using var rows = new RowFile(new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None), Dimension); // mapped, not touched
        int[] asked = [10, 1001, 3000];
        const int far = 2000; // 2 MB from every asked row: beyond any read-around
        Skip.If(Resident(rows, far) || asked.Any(s => Resident(rows, s)), "the file system kept the pages in memory (tmpfs?): none could be dropped");

        rows.WillNeed(asked); // the first call samples: all three missing, so it asks for them
        Assert.True(rows.Advising);

        // The reads are started, not awaited: poll (the bound is only against a hang, not a timing).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!asked.All(s => Resident(rows, s)) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        Assert.All(asked, s => Assert.True(Resident(rows, s), $"row {s} was not read in"));
        Assert.False(Resident(rows, far), "a row nobody asked for was read in");
        Assert.All(asked, s => Assert.Equal(s, rows.Row(s)[Dimension - 1]));
    }

    [SkippableFact]
    public unsafe void WillNeed_EveryRowResident_AsksForNothing()
    {
        // madvise costs ~2 us a row even on a resident page: a store whose rows are all in memory never pays it.
        Skip.IfNot(OperatingSystem.IsLinux(), "madvise and mincore are Linux calls");
        using var folder = new TempIndexFolder();
        Directory.CreateDirectory(folder.Path);
        using var rows = new RowFile(new FileStream(Path.Combine(folder.Path, "r.f32"), FileMode.Create, FileAccess.ReadWrite, FileShare.None), Dimension);
        for (var slot = 0; slot < rows.Capacity; slot++)
        {
            new Span<float>(rows.Row(slot), Dimension).Fill(slot);
        }

        for (var call = 0; call < 200; call++)
        {
            rows.WillNeed([call, call + 1000, call + 2000]);
            Assert.False(rows.Advising);
        }
    }

    private static unsafe bool Resident(RowFile rows, int slot)
    {
        var page = Environment.SystemPageSize;
        var start = (nint)rows.Row(slot) & ~(nint)(page - 1);
        byte state = 0;
        Assert.Equal(0, Mincore(start, (nuint)page, &state));
        return (state & 1) != 0;
    }

    private const int DontNeed = 4; // POSIX_FADV_DONTNEED

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "mincore")]
    private static unsafe partial int Mincore(nint address, nuint length, byte* vector);
}
