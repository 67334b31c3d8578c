using ClipSearch.Tests.Shared;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>
/// Saving the approximate index on a full file system (a small tmpfs, as root): the waiter gets the failure with the
/// runtime's "no space" error inside (so the CLI can say so), no temporary graph file is left, and the graph is saved
/// once there is space again.
/// </summary>
public sealed class GraphDiskFullTests
{
    private const int Dim = 64;
    private const int NoSpaceErrno = 28; // ENOSPC

    [SkippableFact]
    public async Task GraphSave_DiskFull_FailsWithNoSpaceInside_LeavesNoTemporaryFile_AndSavesOnceSpaceIsBack()
    {
        Skip.If(TmpfsMount.Unavailable is not null, TmpfsMount.Unavailable);
        using var folder = new TempIndexFolder();
        using var disk = new TmpfsMount(folder.Path, "24m");
        var options = new EmbeddedStoreOptions { Path = folder.Path };
        options.Ann.Threshold = 1000;
        using var store = new EmbeddedVectorStore(options);
        var c = await store.CreateCollectionAsync("g", Model, Dim);
        var random = new Random(5);
        foreach (var chunk in Enumerable.Range(0, 6000).Chunk(2000))
        {
            await c.UpsertAsync([.. chunk.Select(i => Point($"p{i}.jpg", Unit([.. Enumerable.Range(0, Dim).Select(_ => (float)random.NextDouble() - 0.5f)])))]);
        }

        var filler = Path.Combine(folder.Path, "filler");
        Fill(filler);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => store.WaitForApproximateIndexAsync("g", saved: true));
        Assert.Contains(Chain(failure), e => e is IOException { HResult: NoSpaceErrno });
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));

        File.Delete(filler);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await store.WaitForApproximateIndexAsync("g", saved: true);
                break;
            }
            catch (InvalidOperationException) when (attempt < 40)
            {
                await Task.Delay(500); // the error of the pass before the space came back, until the next pass saves
            }
        }

        Assert.Single(Directory.EnumerateFiles(Path.Combine(folder.Path, "ann"), "g-*.hnsw"));
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>Writes <paramref name="path"/> until the file system is full.</summary>
    internal static void Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
        }
    }

    private static float[] Unit(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
        }
    }
}
