namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>How to start a decode worker process: an executable and its arguments.</summary>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The hidden verb of the <c>clipsearch</c> tool that runs <see cref="DecodeWorker"/>.</summary>
    public const string Verb = "__decode-worker";

    /// <summary>
    /// Relaunches <paramref name="program"/> (a program that hands <see cref="Verb"/> to <see cref="DecodeWorker"/>) as a worker: through
    /// its own apphost when this process is that apphost, else as <c>dotnet program.dll</c> (under <c>dotnet run</c>, a test host, ...).
    /// </summary>
    public static WorkerCommand For(System.Reflection.Assembly program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == program.GetName().Name
            ? new WorkerCommand(process, [Verb])
            : ForAssembly(program.Location);
    }

    /// <summary>The running program relaunched as a worker (see <see cref="For"/>).</summary>
    public static WorkerCommand ForCurrentProcess() =>
        For(System.Reflection.Assembly.GetEntryAssembly() ?? throw new InvalidOperationException("No entry assembly."));

    /// <summary>Runs <paramref name="assemblyPath"/> (a program that handles <see cref="Verb"/>) through the dotnet host.</summary>
    public static WorkerCommand ForAssembly(string assemblyPath, string? dotnetHost = null) =>
        new(dotnetHost ?? DotnetHost(), [assemblyPath, Verb]);

    private static string DotnetHost()
    {
        var root = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(root) && File.Exists(root))
        {
            return root;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
