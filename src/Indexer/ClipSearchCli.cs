using System.CommandLine;
using ClipSearch.Clip.Inference;
using ClipSearch.Clip.Models;
using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Categorization;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Commands;
using ClipSearch.Indexing;

namespace ClipSearch.Indexer;

/// <summary>The <c>clipsearch</c> command tree and its error-to-exit-code policy.</summary>
internal static class ClipSearchCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("ClipSearch: semantic image search with CLIP. Results and --json output go to stdout; progress and messages to stderr.");
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(SkippedCommand.Create());
        root.Subcommands.Add(DuplicatesCommand.Create());
        root.Subcommands.Add(ClassifyCommand.Create());
        root.Subcommands.Add(CategorizeCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(CollectionsCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(EmbedCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>Runs the command line as the process: SIGINT and SIGTERM stop the command gracefully (see <see cref="StopSignals"/>).</summary>
    public static async Task<int> RunAsProcessAsync(string[] args)
    {
        using var signals = new StopSignals(Console.Error);
        var exit = await RunAsync(args, null, null, signals.Token).ConfigureAwait(false);
        return exit == ExitCodes.Cancelled ? signals.CancelledExitCode : exit;
    }

    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var config = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // signals are handled by RunAsProcessAsync, which knows SIGINT from SIGTERM
        };
        // No response files: a query or label such as "@home" is text.
        var parse = Build().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                config.Error.WriteLine(e.Message);
            }

            config.Error.WriteLine("Run 'clipsearch --help' for usage.");
            return Task.FromResult(ExitCodes.Usage);
        }

        return InvokeAsync(parse, config, cancellationToken);
    }

    private static async Task<int> InvokeAsync(ParseResult parse, InvocationConfiguration config, CancellationToken cancellationToken)
    {
        try
        {
            return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException e)
        {
            await config.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (ClipModelException e)
        {
            await config.Error.WriteLineAsync($"error: model: {e.Message}").ConfigureAwait(false);
            return ExitCodes.ModelError;
        }
        catch (ZeroShotScoringException e)
        {
            // A sigmoid model whose scale and bias are not recorded: its probabilities are unknown (ranking still works).
            await config.Error.WriteLineAsync($"error: model: {e.Message}").ConfigureAwait(false);
            return ExitCodes.ModelError;
        }
        catch (ClipDeviceException e)
        {
            await config.Error.WriteLineAsync($"error: device: {e.Message}").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        catch (VectorStoreException e)
        {
            await config.Error.WriteLineAsync($"error: index: {e.Message}").ConfigureAwait(false);
            return ExitCodes.IndexError;
        }
        catch (StoreFolderException e)
        {
            await config.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (IndexerBusyException e)
        {
            await config.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Busy;
        }
        catch (OperationCanceledException e)
        {
            if (e is not (IndexCancelledException or CategorizeCancelledException))
            {
                await config.Error.WriteLineAsync("cancelled").ConfigureAwait(false); // (those two printed their summary)
            }

            return ExitCodes.Cancelled;
        }
    }
}
