using ClipSearch.Clip;
using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Imaging.Isolation;

namespace ClipSearch.Indexer.Cli;

/// <summary>Image preparation for the commands: in worker processes, so no file can hang or crash a run.</summary>
internal static class ImagePreparers
{
    public static IImagePreparer Create(ClipModel model, ImageDecodeOptions decode, int workers = 0) =>
        new IsolatedImagePreparer(decode, model.Preprocessor, new IsolatedImagePreparerOptions { Command = WorkerCommandForThisTool(), Workers = workers });

    /// <summary>This tool relaunched with its worker verb: its apphost when run as one, else <c>dotnet clipsearch.dll</c>.</summary>
    internal static WorkerCommand WorkerCommandForThisTool()
    {
        var process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == "clipsearch"
            ? new WorkerCommand(process, [WorkerCommand.Verb])
            : WorkerCommand.ForAssembly(typeof(ImagePreparers).Assembly.Location);
    }
}
