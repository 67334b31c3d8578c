using System.CommandLine;
using ClipSearch.Clip.Imaging.Isolation;

namespace ClipSearch.Indexer.Commands;

/// <summary>The hidden <c>__decode-worker</c> verb: this process becomes a decode worker for its parent.</summary>
internal static class DecodeWorkerCommand
{
    public static Command Create()
    {
        var command = new Command(WorkerCommand.Verb, "Internal: decode images sent on stdin (started by clipsearch itself).") { Hidden = true };
        command.SetAction(async (_, ct) =>
        {
            using var input = Console.OpenStandardInput();
            using var output = Console.OpenStandardOutput();
            return await DecodeWorker.RunAsync(input, output, ct).ConfigureAwait(false);
        });
        return command;
    }
}
