using System.CommandLine;

namespace ClipSearch.Indexer.Commands;

/// <summary><c>clipsearch bench</c>: benchmarks.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks (they print ratios and medians; timings on shared machines are noisy).");
        command.Subcommands.Add(BenchIndexCommand.Create());
        command.Subcommands.Add(BenchPipelineCommand.Create());
        command.Subcommands.Add(BenchCategorizeCommand.Create());
        command.Subcommands.Add(BenchApiCommand.Create());
        return command;
    }
}
