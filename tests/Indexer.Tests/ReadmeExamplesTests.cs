using System.Diagnostics;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests;

/// <summary>
/// The README's CLI examples (the block after <c>&lt;!-- cli-examples --&gt;</c>), run as written by bash with
/// <c>clipsearch</c> being this build of the tool, from a copy of the layout they expect (samples/), on a fresh
/// index and the bundled model. Every command must succeed, and the searches must find what they say.
/// </summary>
public sealed class ReadmeExamplesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("clipsearch-readme-").FullName;

    [Fact]
    public async Task CliExamples_RunAsWritten_AllSucceed()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepoRoot, "README.md"));
        var start = readme.IndexOf("<!-- cli-examples -->", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no <!-- cli-examples --> block");
        var open = readme.IndexOf("```bash\n", start, StringComparison.Ordinal) + "```bash\n".Length;
        var examples = readme[open..readme.IndexOf("```", open, StringComparison.Ordinal)];
        Assert.True(examples.Split('\n').Count(l => l.StartsWith("clipsearch ", StringComparison.Ordinal)) >= 15);

        Directory.CreateSymbolicLink(Path.Combine(_root, "samples"), Path.Combine(TestPaths.RepoRoot, "samples"));
        var tool = typeof(ClipSearchCli).Assembly.Location;
        var script = $"set -euo pipefail\nclipsearch() {{ echo \"+ clipsearch $*\" >&2; dotnet '{tool}' \"$@\"; }}\n{examples}";
        var run = new ProcessStartInfo("bash", ["-c", script]) { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
        run.Environment["CLIPSEARCH_STORE"] = Path.Combine(_root, "index");
        run.Environment["CLIPSEARCH_MODELS"] = Path.Combine(_root, "models");
        run.Environment.Remove("CLIPSEARCH_MODEL");
        run.Environment.Remove("CLIPSEARCH_QDRANT");
        using var process = Process.Start(run)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"a README example failed (exit {process.ExitCode}):\n{await stderr}");

        var output = await stdout;
        var lines = output.Split('\n');
        Assert.Contains("red-star-", lines.First(l => l.Contains("samples/", StringComparison.Ordinal)), StringComparison.Ordinal); // the first search's best hit
        Assert.Contains("\"path\":", output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_root, "copy-of-index")), "migrate wrote nothing");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
