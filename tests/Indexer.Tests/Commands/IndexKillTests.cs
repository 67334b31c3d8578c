using System.Diagnostics;
using System.Globalization;
using ClipSearch.Core;
using ClipSearch.Core.Index;
using Xunit.Abstractions;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>
/// <c>clipsearch index</c> in a child process, killed with SIGKILL at random moments ten times and then run to
/// the end: the index must then equal a clean run's (same ids, vectors, payloads, skipped list), and no kill
/// may lose what an earlier run had written.
/// </summary>
public sealed class IndexKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Index_KilledTenTimesThenResumed_EqualsACleanRun()
    {
        using var folder = new IndexTestFolder();
        var next = 0;
        string Name(int n) => $"set{n % 4}/img{n:0000}.{(n % 3 == 0 ? "jpg" : "png")}";
        for (; next < 500; next++)
        {
            folder.WriteImage(Name(next), next, 64 + (next % 5 * 16), 48);
        }

        Directory.CreateDirectory(folder.PathOf("copies"));
        for (var i = 0; i < 6; i++)
        {
            File.Copy(folder.PathOf(Name((4 * i) + 1)), folder.PathOf($"copies/copy{i}.img")); // exact duplicates, found by content
        }

        folder.WriteText("bad/text.jpg", "not an image");
        File.WriteAllBytes(folder.PathOf("bad/empty.png"), []);
        File.WriteAllBytes(folder.PathOf("bad/cut.png"), File.ReadAllBytes(folder.PathOf(Name(5)))[..40]);

        var random = new Random(20261127);
        var previous = new Dictionary<string, StoredPoint>();
        var kills = 0;
        var mutatedEver = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; kills < 10; round++)
        {
            Assert.True(round < 30, $"only {kills} of 30 runs were killed before finishing");
            var killAfter = TimeSpan.FromMilliseconds(random.Next(500, 1800));
            var finished = await RunChildAsync(folder, killAfter);
            kills += finished ? 0 : 1;
            var points = await TryPointsAsync(folder);
            output.WriteLine($"round {round}: {(finished ? "finished before" : "killed after")} {killAfter.TotalMilliseconds:0} ms, {points.Count} points");
            foreach (var (path, point) in points.Where(kv => !mutatedEver.Contains(kv.Key)))
            {
                // (A file changed, moved or deleted since may still have its old point until a run gets to it.)
                var bytes = File.ReadAllBytes(folder.PathOf(path));
                Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), point.Payload.ContentHash);
                Assert.Equal(1.0, Math.Sqrt(point.Vector!.Sum(x => (double)x * x)), 3);
            }

            Assert.All(previous, kv => Assert.True(points.TryGetValue(kv.Key, out var p) && p.Vector!.SequenceEqual(kv.Value.Vector!),
                $"{kv.Key} was written by an earlier run and is gone or changed after round {round}"));

            // New work for the next run: new, changed, moved and deleted files.
            var mutated = new HashSet<string>(StringComparer.Ordinal);
            var existing = Directory.EnumerateFiles(folder.PathOf("set0")).Select(f => "set0/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
            for (var i = 0; i < 100; i++, next++)
            {
                folder.WriteImage(Name(next), next, 64, 48);
            }

            foreach (var path in existing.Take(6))
            {
                folder.WriteImage(path, next++, 80, 48);
                mutated.Add(path);
            }

            foreach (var path in existing.Skip(6).Take(4))
            {
                File.Move(folder.PathOf(path), folder.PathOf(path.Replace("set0/", "set1/moved-", StringComparison.Ordinal)));
                mutated.Add(path);
            }

            foreach (var path in existing.Skip(10).Take(3))
            {
                File.Delete(folder.PathOf(path));
                mutated.Add(path);
            }

            mutatedEver.UnionWith(mutated);

            // Points that describe their file as it now is are done: no later run may lose or change them.
            previous = points.Where(kv => !mutatedEver.Contains(kv.Key) || (File.Exists(folder.PathOf(kv.Key))
                && Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(folder.PathOf(kv.Key)))) == kv.Value.Payload.ContentHash))
                .ToDictionary();
        }

        var (exit, _, _) = await folder.IndexAsync();
        Assert.Equal(0, exit);
        var final = await folder.PointsAsync();
        var skipped = await folder.SkippedAsync();

        using var clean = new IndexTestFolder();
        CopyTree(folder.Images, clean.Images);
        var (cleanExit, cleanSummary, _) = await clean.IndexAsync();
        Assert.Equal(0, cleanExit);
        var expected = await clean.PointsAsync();
        var expectedSkipped = await clean.SkippedAsync();

        Assert.Equal(Directory.EnumerateFiles(folder.Images, "*", SearchOption.AllDirectories).Count() - 3, expected.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), final.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, point) in expected)
        {
            var got = final[path];
            Assert.Equal(PointIds.ForImage(folder.Images.Replace('\\', '/'), path), got.Id);
            Assert.True(VectorMath.Cosine(point.Vector!, got.Vector!) > 0.9999f, $"{path}: the resumed embedding differs");
            Assert.Equal(point.Payload with { Root = got.Payload.Root, ModifiedAt = got.Payload.ModifiedAt }, got.Payload);
        }

        Assert.Equal(expectedSkipped.Select(s => (s.Path, s.Reason)).Order(), skipped.Select(s => (s.Path, s.Reason)).Order());
        Assert.Equal(3, skipped.Count);
        Assert.Equal(3, cleanSummary.GetProperty("skipped").EnumerateObject().Sum(p => p.Value.GetInt32()));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task<Dictionary<string, StoredPoint>> TryPointsAsync(IndexTestFolder folder)
    {
        try
        {
            return await folder.PointsAsync();
        }
        catch (VectorStoreException e) when (e.Kind == VectorStoreErrorKind.CollectionNotFound)
        {
            return []; // killed before the collection was created
        }
    }

    /// <summary>Starts the indexer and SIGKILLs it (and its decoder processes) after <paramref name="after"/>; true when it had finished first.</summary>
    private static async Task<bool> RunChildAsync(IndexTestFolder folder, TimeSpan after)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "clipsearch.dll"), "index", folder.Images, "--store", folder.Store,
            "--checkpoint-seconds", "0.2", "--batch", "8" })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var drainOut = process.StandardOutput.ReadToEndAsync();
        var drainErr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(after)) == exited)
        {
            await Task.WhenAll(drainOut, drainErr);
            Assert.True(process.ExitCode == 0, await drainErr);
            return true;
        }

        var workers = ChildrenOf(process.Id);
        process.Kill(entireProcessTree: false); // SIGKILL on Unix
        foreach (var worker in workers)
        {
            try
            {
                Process.GetProcessById(worker).Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        await exited;
        await Task.WhenAll(drainOut, drainErr);
        return false;
    }

    private static List<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                children.AddRange(File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
            }
            catch (IOException)
            {
            }
        }

        return children;
    }
}
