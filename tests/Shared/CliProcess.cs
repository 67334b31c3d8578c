using System.Diagnostics;

namespace ClipSearch.Tests.Shared;

/// <summary>The built <c>clipsearch</c> tool run as a process, as users run it, with the environment given (a null value removes a variable).</summary>
internal static class CliProcess
{
    public static Task<(int Exit, string Out, string Err)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        RunInAsync(null, environment, arguments);

    /// <summary>As <see cref="RunAsync"/>, from the working folder <paramref name="folder"/> (relative paths on its command line are taken from there).</summary>
    public static async Task<(int Exit, string Out, string Err)> RunInAsync(string? folder, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (folder is not null)
        {
            start.WorkingDirectory = folder;
        }

        start.ArgumentList.Add(ServerProcess.ProjectAssembly("Indexer", "clipsearch.dll"));
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
