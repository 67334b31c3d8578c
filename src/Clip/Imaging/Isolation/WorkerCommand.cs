namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>How to start a decode worker process: an executable and its arguments.</summary>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The hidden verb of the <c>clipsearch</c> tool that runs <see cref="DecodeWorker"/>.</summary>
    public const string Verb = "__decode-worker";

    /// <summary>
    /// Re-launches the running program as a worker: its own apphost with <see cref="Verb"/>, or
    /// <c>dotnet app.dll</c> when it was started through the dotnet host.
    /// </summary>
    public static WorkerCommand ForCurrentProcess()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of the running program is unknown.");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? ForAssembly(System.Reflection.Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("No entry assembly."), process)
            : new WorkerCommand(process, [Verb]);
    }

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
