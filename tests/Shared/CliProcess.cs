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
    /// As <see cref="RunAsync"/>, sending <paramref name="signal"/> to the process with kill(1), as a
    /// terminal or service manager does, <paramref name="delay"/> after its stderr first shows a line containing
    /// <paramref name="when"/>. (A process ended by the signal itself also exits 128+N here: check its output too.)
    /// </summary>
    /// <param name="signal">"INT" or "TERM".</param>
    /// <param name="when">Text of the stderr line after which the signal is sent.</param>
    /// <param name="delay">How long after that line.</param>
    /// <param name="group">
    /// Run it in a process group of its own and signal the whole group, as Ctrl+C in a terminal does (its decoder
    /// processes get the signal too).
    /// </param>
    /// <param name="arguments">The command line.</param>
    public static async Task<(int Exit, string Out, string Err)> RunSignalledAsync(string signal, string when, TimeSpan delay, bool group, params string[] arguments)
    {
        var start = new ProcessStartInfo(group ? "setsid" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (group)
        {
            start.ArgumentList.Add("dotnet"); // setsid(1) execs it in the same process, now leader of its own group
        }

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
                    var target = (group ? "-" : "") + process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    using var kill = Process.Start("kill", ["-" + signal, "--", target]);
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
