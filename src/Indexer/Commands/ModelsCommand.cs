using System.CommandLine;

namespace ClipSearch.Indexer.Commands;

/// <summary><c>clipsearch models</c>: model management subcommands.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "Download, list and inspect CLIP models.");
        command.Subcommands.Add(ModelsPullCommand.CreatePull());
        command.Subcommands.Add(ModelsPullCommand.CreateList());
        command.Subcommands.Add(ModelsInspectCommand.Create());
        return command;
    }
}
