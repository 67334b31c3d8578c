using ClipSearch.Indexer.Cli;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>
/// An index on a file system that fills up or is read-only, for real (a small tmpfs, as root): one line naming the
/// folder and the cause, a documented exit code, no stack trace, no temporary files left, and a rerun that completes
/// once the file system can take the writes again.
/// </summary>
public sealed class StoreFolderTests
{
    [SkippableFact]
    public async Task Index_DiskFull_ExitsNoSpaceNamingTheFolder_AndTheRerunAfterFreeingSpaceCompletes()
    {
        Skip.If(TmpfsMount.Unavailable is not null, TmpfsMount.Unavailable);
        using var folder = new IndexTestFolder();
        for (var i = 0; i < 800; i++)
        {
            folder.WriteImage($"set{i % 4}/img{i:0000}.png", i, 40, 32);
        }

        using var disk = new TmpfsMount(folder.Store, "1m");
        var (exit, _, err) = await folder.IndexAsync("--batch", "8");

        Assert.True(exit == ExitCodes.NoSpace, $"exit {exit}: {err}");
        var line = Assert.Single(CliRunner.Lines(err), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("no space left on device", line, StringComparison.Ordinal);
        Assert.Contains(folder.Store, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("cancelled", err, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(folder.Store, "*.tmp", SearchOption.AllDirectories));

        // Still full: the rerun says so again, rather than SQLite's "disk I/O error".
        var (again, _, againErr) = await folder.IndexAsync();
        Assert.True(again == ExitCodes.NoSpace, $"exit {again}: {againErr}");
        Assert.Contains("no space left on device", againErr, StringComparison.Ordinal);

        disk.Remount("size=64m");
        var (done, summary, doneErr) = await folder.IndexAsync();
        Assert.True(done == 0, doneErr);
        Assert.Equal(800, summary.Count("indexed") + summary.Count("unchanged"));
        Assert.Equal(800, (await folder.PointsAsync()).Count);
    }

    [SkippableFact]
    public async Task IndexAndCategorize_ReadOnlyStore_Exit5NamingTheFolder()
    {
        Skip.If(TmpfsMount.Unavailable is not null, TmpfsMount.Unavailable);
        using var folder = new IndexTestFolder();
        for (var i = 0; i < 6; i++)
        {
            folder.WriteImage($"img{i}.png", i);
        }

        using var disk = new TmpfsMount(folder.Store, "16m");
        var (first, _, firstErr) = await folder.IndexAsync();
        Assert.True(first == 0, firstErr);
        folder.WriteImage("new.png", 99);
        disk.Remount("ro");

        var (exit, _, err) = await folder.IndexAsync();
        AssertReadOnly(exit, err, folder.Store);
        var (categorize, _, categorizeErr) = await CliRunner.RunAsync("categorize", "--store", folder.Store, "--labels", "red,blue");
        AssertReadOnly(categorize, categorizeErr, folder.Store);

        disk.Remount("rw");
        var (done, summary, doneErr) = await folder.IndexAsync();
        Assert.True(done == 0, doneErr);
        Assert.Equal(1, summary.Count("indexed"));
    }

    private static void AssertReadOnly(int exit, string err, string store)
    {
        Assert.True(exit == ExitCodes.IndexError, $"exit {exit}: {err}");
        var line = Assert.Single(CliRunner.Lines(err), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(store, line, StringComparison.Ordinal);
        Assert.Contains("is read-only", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}
