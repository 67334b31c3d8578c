using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ClipSearch.Tests.Shared;

/// <summary>
/// An ASP.NET Core app of the project started as users start it (<c>dotnet App.dll --urls http://127.0.0.1:0 --Key=value</c>),
/// on a real Kestrel on 127.0.0.1 with a port the OS picks, found from its "Now listening on" line.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    public ServerProcess(string assembly, params string[] arguments)
        : this(assembly, null, arguments)
    {
    }

    /// <summary>As the constructor without it, with environment variables set (a null value removes one).</summary>
    public ServerProcess(string assembly, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        // Run from the app's folder, as `cd out && dotnet App.dll` does: its appsettings.json and static assets are found there.
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Line(e.Data);
        _process.ErrorDataReceived += (_, e) => Line(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The built app of a project of this repository (src/NAME), in the configuration the tests were built in.</summary>
    public static string ProjectAssembly(string project, string assembly)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(TestPaths.RepoRoot, "src", project, "bin", configuration, "net10.0", assembly);
    }

    /// <summary>The address it listens on, once it does; throws with its output if it exits or takes over a minute.</summary>
    public async Task<Uri> ListeningAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(TimeSpan.FromMinutes(1)));
        return first == _listening.Task ? await _listening.Task : throw new InvalidOperationException($"{Path.GetFileName(_process.StartInfo.ArgumentList[0])} did not start:\n{Output}");
    }

    /// <summary>Sends <paramref name="signal"/> ("TERM", "INT") to the process with kill(1), as docker stop or systemd does.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (Listening().Match(line) is { Success: true } m)
        {
            _listening.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
