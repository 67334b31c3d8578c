using System.Runtime.InteropServices;

namespace ClipSearch.Indexing;

/// <summary>
/// The calling thread's scheduling priority (its nice value: on Linux each thread has its own, and raising it needs no
/// privilege). The pipeline's encode streams run a few steps below the decode workers, so that when both want the cores
/// the decoders go first and the encoder's queue stays filled: on 2 cores with full-size decoding (about as much CPU an
/// image as a real-size encoder), equal priorities left the encoder waiting for images 9-20% of the run, a lower one
/// 2-15%, for the same images a second (docs/BENCHMARKS.md). Elsewhere than Linux nothing changes, and ONNX Runtime's
/// own threads (a stream has more than its caller's only past 8 cores) keep the priority of the thread that loaded the model.
/// </summary>
internal static partial class ThreadNice
{
    /// <summary>How far below the rest of the process the encode streams run.</summary>
    public const int EncoderSteps = 5;

    private const int PrioProcess = 0; // with who = 0: the calling thread, under Linux's per-thread nice values
    private const int Lowest = 19;

    /// <summary>The calling thread's nice value, or null where it cannot be read.</summary>
    public static int? Current()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var nice = GetPriority(PrioProcess, 0);
        return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
    }

    /// <summary>Lowers the calling thread's priority by <paramref name="steps"/> (at most to the lowest); false where it could not.</summary>
    public static bool Lower(int steps) => Current() is { } nice && SetPriority(PrioProcess, 0, Math.Min(Lowest, nice + steps)) == 0;

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);
}
