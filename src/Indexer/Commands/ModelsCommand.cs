using System.CommandLine;

namespace ClipSearch.Indexer.Commands;

/// <summary><c>clipsearch models</c>: model management subcommands.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "Inspect CLIP model folders.");
        command.Subcommands.Add(ModelsInspectCommand.Create());
        return command;
    }
}
