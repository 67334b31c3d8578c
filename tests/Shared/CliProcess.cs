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

    /// <summary>
    /// As <see cref="RunAsync"/>, sending <paramref name="signal"/> ("INT", "TERM") to the process with kill(1), as a
    /// terminal or service manager does, <paramref name="delay"/> after its stderr first shows a line containing
    /// <paramref name="when"/>. (A process ended by the signal itself also exits 128+N here: check its output too.)
    /// </summary>
    public static async Task<(int Exit, string Out, string Err)> RunSignalledAsync(string signal, string when, TimeSpan delay, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerProcess.ProjectAssembly("Indexer", "clipsearch.dll"));
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = new Process { StartInfo = start };
        var error = new System.Text.StringBuilder();
        var sent = 0;
        Task signalled = Task.CompletedTask;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (error)
            {
                error.AppendLine(e.Data);
            }

            if (e.Data?.Contains(when, StringComparison.Ordinal) == true && Interlocked.Exchange(ref sent, 1) == 0)
            {
                signalled = Task.Run(async () =>
                {
                    await Task.Delay(delay);
                    using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                    await kill.WaitForExitAsync();
                });
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit(); // (the parameterless wait also drains the redirected stderr)
        await signalled;
        var stdout = await output;
        lock (error)
        {
            return (process.ExitCode, stdout, error.ToString());
        }
    }
}
