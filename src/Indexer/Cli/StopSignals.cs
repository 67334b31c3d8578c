using System.Runtime.InteropServices;

namespace ClipSearch.Indexer.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM as a graceful stop: the first one cancels <see cref="Token"/> (the running command
/// finishes or abandons its current batch, prints its summary and exits 130 or 143); a second one ends the process
/// at once, as the signal's default action does.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration[] _registrations;
    private int _received; // 0, or the first PosixSignal received (negative enum values)

    public StopSignals(TextWriter error)
    {
        _error = error;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>The exit code a command cancelled by the signal received ends with: 130 after SIGINT, 143 after SIGTERM.</summary>
    public int CancelledExitCode => Volatile.Read(ref _received) == (int)PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Cancelled;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _received, (int)context.Signal, 0) != 0)
        {
            return; // the second signal: its default action ends the process now
        }

        context.Cancel = true;
        _error.WriteLine($"{(context.Signal == PosixSignal.SIGINT ? "interrupted" : "terminated")}: stopping after the current batch (send it again to stop at once)");
        _stop.Cancel();
    }
}
