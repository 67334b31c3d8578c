namespace ClipSearch.Indexer.Tests.Commands;

public sealed class BenchApiCommandTests
{
    [Fact]
    public async Task BenchApi_NoApiAnswering_ExitsOneSayingSoInsteadOfCrashing()
    {
        var store = Path.Combine(Path.GetTempPath(), "clipsearch-bench-api-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Nothing listens on port 9 of the loopback: every request is refused.
            var (exit, stdout, stderr) = await CliRunner.RunAsync("bench", "api", "--store", store, "--images", "50", "--url", "http://127.0.0.1:9",
                "--seconds", "1", "--clients", "1", "--device", "cpu", "--json");
            Assert.Equal(1, exit);
            Assert.Contains("every request to http://127.0.0.1:9/ failed", stderr, StringComparison.Ordinal);
            Assert.Empty(stdout);
        }
        finally
        {
            if (Directory.Exists(store))
            {
                Directory.Delete(store, recursive: true);
            }
        }
    }
}
