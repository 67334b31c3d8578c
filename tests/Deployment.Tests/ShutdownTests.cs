using ClipSearch.Tests.Shared;

namespace ClipSearch.Deployment.Tests;

/// <summary>
/// The Search API and the web UI as they are deployed (docker stop, systemd, Kubernetes): SIGTERM shuts them down
/// cleanly, exit code 0, with the host's shutdown logged rather than the process killed by the signal.
/// </summary>
public sealed class ShutdownTests : IDisposable
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), "clipsearch-shutdown-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("SearchApi", "ClipSearch.SearchApi.dll")]
    [InlineData("WebUi", "ClipSearch.WebUi.dll")]
    public async Task Server_Sigterm_ShutsDownCleanlyWithExitZero(string project, string assembly)
    {
        using var server = new ServerProcess(ServerProcess.ProjectAssembly(project, assembly), "--urls", "http://127.0.0.1:0",
            $"--ClipSearch:Index:Embedded:Path={_store}", "--ClipSearch:ApiUrl=http://127.0.0.1:9");
        using var http = new HttpClient { BaseAddress = await server.ListeningAsync() };
        Assert.NotNull(await http.GetAsync(new Uri("/", UriKind.Relative)));

        await server.SignalAsync("TERM");
        var exit = await server.ExitCodeAsync();

        Assert.True(exit == 0, $"exit {exit}:\n{server.Output}");
        Assert.Contains("Application is shutting down", server.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_store))
        {
            Directory.Delete(_store, recursive: true);
        }
    }
}
