using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Core.Imaging;
using ClipSearch.Indexing;
using ClipSearch.Tests.Shared;
using Xunit.Abstractions;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>
/// Hostile files through <c>clipsearch index</c>, the way users meet them: no crash, no hang, bounded memory,
/// and every file accounted for (indexed, or skipped with a reason consistent with the corpus manifest).
/// The project's own sample (tests/data/hostile) always runs; the 847-file corpus runs when shared/ is there.
/// </summary>
public sealed class HostileIndexTests(ITestOutputHelper output)
{
    /// <summary>Peak memory of the whole run (indexer and decoder processes together) allowed on the full corpus; the README quotes the measurement.</summary>
    private const long PeakTreeRssBound = 2048L * 1024 * 1024;

    [Fact]
    public async Task Index_ProjectHostileSample_EachFileIndexedOrSkippedAsExpected()
    {
        using var folder = new IndexTestFolder();
        var rows = File.ReadAllLines(TestPaths.Data("hostile", "manifest.tsv")).Skip(1).Select(l => l.Split('\t')).ToList();
        foreach (var row in rows)
        {
            File.Copy(TestPaths.Data("hostile", row[0]), folder.PathOf(row[0]));
        }

        var (exit, summary, stderr) = await folder.IndexAsync("--timeout", "2");
        Assert.True(exit == 0, stderr);
        var indexed = (await folder.PointsAsync()).Keys.ToHashSet();
        var skipped = (await folder.SkippedAsync()).ToDictionary(s => s.Path, s => s.Reason);
        foreach (var row in rows)
        {
            var actual = indexed.Contains(row[0]) ? "index" : skipped.TryGetValue(row[0], out var reason) ? "skip: " + reason : "nothing";
            var expected = row[0] == "pngsuite-s01i3p01.png" ? "skip: timed out" : row[1]; // valid, but ImageSharp 2.1.13 hangs on it
            Assert.True(expected == actual, $"{row[0]}: expected {expected}, got {actual}");
        }

        Assert.Equal(rows.Count, indexed.Count + skipped.Count);
        Assert.Equal(rows.Count - indexed.Count, summary.GetProperty("skipped").EnumerateObject().Sum(p => p.Value.GetInt32()));
    }

    [SkippableFact]
    public async Task Index_SharedHostileCorpus_EveryFileAccountedForWithinTheMemoryBound()
    {
        var corpus = TestPaths.Shared("hostile-images");
        Skip.If(corpus is null, "shared/hostile-images is not beside this checkout (38 MB, not copied into the repository)");
        var rows = File.ReadAllLines(Path.Combine(corpus, "manifest.tsv")).Skip(1).Select(l => l.Split('\t')).ToList();
        using var folder = new IndexTestFolder();
        // A generous decode limit: the test suite runs its projects in parallel on two cores, and a valid image must
        // not be stopped as timed out because the machine is busy (the 4 files that really hang cost 10 s each).
        var (exit, stdout, stderr, peak, main, seconds) = await RunMeasuredAsync(
            ["index", corpus, "--store", folder.Store, "--hidden", "--timeout", "10", "--json"]);
        output.WriteLine($"exit {exit}, {seconds:0.0} s, peak memory of the process tree {peak / 1048576.0:0} MiB (indexer process alone: {main / 1048576.0:0} MiB)");
        output.WriteLine(stdout);
        Assert.True(exit == 0, stderr);

        var root = corpus.Replace('\\', '/');
        var (_, skippedJson, _) = await CliRunner.RunAsync("skipped", "--store", folder.Store, "--json");
        var skipped = JsonDocument.Parse(skippedJson).RootElement.EnumerateArray()
            .ToDictionary(e => e.GetProperty("path").GetString()![(root.Length + 1)..], e => (Reason: e.GetProperty("reason").GetString()!, Detail: e.GetProperty("detail").GetString()!));
        var indexed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, _) in await PointsByPathAsync(folder, root))
        {
            indexed.Add(path);
        }

        var problems = new List<string>();
        foreach (var row in rows)
        {
            var path = row[0];
            var actual = indexed.Contains(path) ? "index" : skipped.TryGetValue(path, out var s) ? "skip: " + s.Reason : null;
            output.WriteLine($"{path}\t{row[4]}\t{actual ?? "not chosen"}\t{(skipped.TryGetValue(path, out var d) ? d.Detail : "")}");
            if (actual is null)
            {
                // Only a file that is an image neither by extension nor by content may be passed over (it is counted as "not an image").
                var header = File.ReadAllBytes(Path.Combine(corpus, path)).Take(FormatSniffer.HeaderLength).ToArray();
                if (ImageFiles.HasImageExtension(Path.GetFileName(path)) || FormatSniffer.Recognise(header) is not null)
                {
                    problems.Add($"{path}: neither indexed nor skipped");
                }

                continue;
            }

            var ok = row[4] switch
            {
                // Valid images are indexed, except those ImageSharp 2.1.13 itself cannot read (hangs or throws).
                "index" when path.StartsWith("valid/", StringComparison.Ordinal) => actual == "index",
                "index" => true,
                // Pixel floods and absurd dimensions are refused before any pixel is allocated.
                "skip: too large" => actual == "skip: too large",
                // Damaged files are skipped; a few are recovered leniently, which the manifest allows.
                "skip: corrupt" => actual != "index" || path.StartsWith("hostile/fuzzed/", StringComparison.Ordinal),
                // RAW files built on TIFF decode as their embedded preview, as the corpus README notes.
                "skip: unsupported format" => actual != "index" || path.Contains("/raw/", StringComparison.Ordinal) || path.Contains("tiff-variant", StringComparison.Ordinal),
                _ => false,
            };
            if (!ok)
            {
                problems.Add($"{path}: expected {row[4]}, got {actual}");
            }

            if (actual != "index" && skipped[path].Detail.Length == 0)
            {
                problems.Add($"{path}: skipped without a detail");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(rows.Count(r => r[4] == "index" && indexed.Contains(r[0])) >= 440);
        Assert.True(peak < PeakTreeRssBound, $"peak memory {peak / 1048576} MiB is over the {PeakTreeRssBound / 1048576} MiB bound");
    }

    private static async Task<List<(string Path, Guid Id)>> PointsByPathAsync(IndexTestFolder folder, string root)
    {
        using var store = new Storage.Embedded.EmbeddedVectorStore(new Storage.Embedded.EmbeddedStoreOptions { Path = folder.Store });
        var collection = await store.OpenCollectionAsync(Core.Index.CollectionNames.Default, null, null);
        var result = new List<(string, Guid)>();
        await foreach (var batch in collection.ScrollAsync(null, 1000, withVectors: false))
        {
            result.AddRange(batch.Select(p => (p.Payload.FullPath[(root.Length + 1)..], p.Id)));
        }

        return result;
    }

    /// <summary>Runs clipsearch as a child process, sampling the resident memory of it and its decoder processes together.</summary>
    internal static async Task<(int Exit, string Out, string Err, long PeakTreeRss, long PeakMainRss, double Seconds)> RunMeasuredAsync(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "clipsearch.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        long peak = 0, main = 0;
        while (!exited.IsCompleted)
        {
            var (tree, own) = TreeRss(process.Id);
            (peak, main) = (Math.Max(peak, tree), Math.Max(main, own));
            await Task.WhenAny(exited, Task.Delay(50));
        }

        await exited;
        return (process.ExitCode, await stdout, await stderr, peak, main, clock.Elapsed.TotalSeconds);
    }

    private static (long Tree, long Root) TreeRss(int pid)
    {
        long total = 0, root = 0;
        var pending = new Stack<int>([pid]);
        while (pending.Count > 0)
        {
            var p = pending.Pop();
            try
            {
                var rss = File.ReadLines($"/proc/{p}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (rss is not null)
                {
                    var bytes = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                    total += bytes;
                    root = p == pid ? bytes : root;
                }

                foreach (var task in Directory.EnumerateDirectories($"/proc/{p}/task"))
                {
                    foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        pending.Push(int.Parse(child, CultureInfo.InvariantCulture));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process ended while being looked at
            }
        }

        return (total, root);
    }
}
