using System.Diagnostics;
using System.Globalization;

namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>One worker process and its pipes. Used by one request at a time.</summary>
internal sealed class DecodeWorkerProcess : IDisposable
{
    private readonly Process _process;

    private DecodeWorkerProcess(Process process)
    {
        _process = process;
    }

    public int ProcessId => _process.Id;

    public Stream Input => _process.StandardInput.BaseStream;

    public Stream Output => _process.StandardOutput.BaseStream;

    public bool HasExited => _process.HasExited;

    public static DecodeWorkerProcess Start(WorkerCommand command, long memoryLimitBytes)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var arg in command.Arguments)
        {
            info.ArgumentList.Add(arg);
        }

        // A decode that tries to allocate past this fails inside the worker (OutOfMemoryException -> "too large").
        info.Environment["DOTNET_GCHeapHardLimit"] = "0x" + memoryLimitBytes.ToString("X", CultureInfo.InvariantCulture);
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_TieredPGO"] = "0";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start the decode worker {command.FileName}.");
        return new DecodeWorkerProcess(process);
    }

    /// <summary>Stops the worker at once, whatever it is doing.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(2000))
            {
                Kill();
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            Kill();
        }

        _process.Dispose();
    }
}
