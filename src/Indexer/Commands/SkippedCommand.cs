using System.CommandLine;
using System.Text.Json;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Commands;

/// <summary><c>clipsearch skipped</c>: the files of a collection that could not be indexed, with reason and detail.</summary>
internal static class SkippedCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var json = CommonOptions.Json();
        var command = new Command("skipped", "List the files that could not be indexed, with the reason (corrupt, unsupported format, too large, timed out, unreadable). --json: [{\"path\", \"reason\", \"detail\"}].");
        store.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            using var engine = CliEngine.Create(parse, store);
            var context = engine.Store;
            var name = store.CollectionName(parse);
            var skipped = context.State.Skipped(name).Values.OrderBy(s => s.Path, StringComparer.Ordinal).ToList();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                var files = skipped.Select(s => new SkippedFileOutput(s.Path, s.Failure.ReasonText, s.Failure.Detail)).ToList();
                await output.WriteLineAsync(JsonSerializer.Serialize(files, CliJsonContext.Relaxed.SkippedFiles)).ConfigureAwait(false);
            }
            else
            {
                foreach (var s in skipped)
                {
                    await output.WriteLineAsync($"{s.Failure.ReasonText}\t{s.Path}\t{s.Failure.Detail}").ConfigureAwait(false);
                }

                await parse.InvocationConfiguration.Error.WriteLineAsync($"{skipped.Count} skipped files in collection '{name}'").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
