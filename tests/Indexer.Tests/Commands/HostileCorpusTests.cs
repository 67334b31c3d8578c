using ClipSearch.Core.Imaging;
using ClipSearch.Indexing;
using ClipSearch.Tests.Shared;
using Xunit.Abstractions;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>
/// The 847-file corpus of shared/hostile-images through <c>clipsearch index</c> (run once for the class): no crash,
/// no hang, bounded memory, every file accounted for, and outcomes that differ from the corpus manifest only where
/// docs/HOSTILE-IMAGES.md lists and explains it. Skipped, saying so, when shared/ is not beside the checkout.
/// </summary>
public sealed class HostileCorpusTests(HostileCorpusRun run, ITestOutputHelper output) : IClassFixture<HostileCorpusRun>
{
    /// <summary>Peak memory of the whole run (indexer and decoder processes together) allowed on the full corpus; the README quotes the measurement.</summary>
    private const long PeakTreeRssBound = 2048L * 1024 * 1024;

    private const string NoCorpus = "shared/hostile-images is not beside this checkout (38 MB, not copied into the repository)";

    [SkippableFact]
    public void Index_SharedHostileCorpus_EveryFileAccountedForWithinTheMemoryBound()
    {
        Skip.If(run.Corpus is null, NoCorpus);
        output.WriteLine($"exit {run.Exit}, {run.Seconds:0.0} s, peak memory of the process tree {run.PeakMemory.Tree / 1048576.0:0} MiB (indexer process alone: {run.PeakMemory.Main / 1048576.0:0} MiB)");
        output.WriteLine(run.Stdout);
        Assert.True(run.Exit == 0, run.Stderr);

        var problems = new List<string>();
        foreach (var row in run.Rows)
        {
            var path = row[0];
            var actual = run.Outcome(path);
            output.WriteLine($"{path}\t{row[4]}\t{actual}\t{run.Detail(path)}");
            if (actual == "not chosen")
            {
                // Only a file that is an image neither by extension nor by content may be passed over (it is counted as "not an image").
                var header = File.ReadAllBytes(Path.Combine(run.Corpus, path)).Take(FormatSniffer.HeaderLength).ToArray();
                if (ImageFiles.HasImageExtension(Path.GetFileName(path)) || FormatSniffer.Recognise(header) is not null)
                {
                    problems.Add($"{path}: neither indexed nor skipped");
                }

                continue;
            }

            if (actual != "index" && run.Detail(path).Length == 0)
            {
                problems.Add($"{path}: skipped without a detail");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(run.Rows.Count(r => r[4] == "index" && run.Outcome(r[0]) == "index") >= 440);
        Assert.True(run.PeakMemory.Tree < PeakTreeRssBound, $"peak memory {run.PeakMemory.Tree / 1048576} MiB is over the {PeakTreeRssBound / 1048576} MiB bound");
    }

    [SkippableFact]
    public void Index_SharedHostileCorpus_DiffersFromTheManifestOnlyWhereDocumented()
    {
        Skip.If(run.Corpus is null, NoCorpus);
        Assert.True(run.Exit == 0, run.Stderr);
        var documented = DocumentedDifferences();

        var problems = new List<string>();
        foreach (var row in run.Rows)
        {
            var (path, expected, actual) = (row[0], row[4], run.Outcome(row[0]));
            if (documented.Remove(path, out var entry))
            {
                if (entry.Manifest != expected || !entry.Ours.Contains(actual))
                {
                    problems.Add($"{path}: documented as manifest '{entry.Manifest}', ours '{string.Join(" or ", entry.Ours)}'; the manifest says '{expected}', we did '{actual}' ({run.Detail(path)})");
                }
            }
            else if (actual != expected)
            {
                problems.Add($"{path}: the manifest says '{expected}', we did '{actual}' ({run.Detail(path)}), and docs/HOSTILE-IMAGES.md does not list it");
            }
        }

        problems.AddRange(documented.Keys.Select(p => $"{p}: listed in docs/HOSTILE-IMAGES.md but not in the manifest"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The table of docs/HOSTILE-IMAGES.md: | `path` | manifest | ours (outcomes joined by " or ") | why |.</summary>
    private static Dictionary<string, (string Manifest, string[] Ours)> DocumentedDifferences()
    {
        var rows = new Dictionary<string, (string, string[])>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(TestPaths.RepoRoot, "docs", "HOSTILE-IMAGES.md")).Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            rows.Add(cells[1].Trim('`'), (cells[2], cells[3].Split(" or ", StringSplitOptions.TrimEntries)));
        }

        return rows;
    }
}
