using System.CommandLine;
using System.Text.Json;
using ClipSearch.Core.Index;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Commands;

/// <summary><c>clipsearch collections [list | info NAME | drop NAME --yes]</c>.</summary>
internal static class CollectionsCommand
{
    public static Command Create()
    {
        var command = new Command("collections", "List, inspect or drop the collections of an index.");
        var listStore = new StoreOptions();
        var listJson = CommonOptions.Json();
        var list = new Command("list", "List the collections: name, images, model, dimension, backend.");
        listStore.AddTo(list, withCollection: false);
        list.Options.Add(listJson);
        list.SetAction(async (parse, ct) =>
        {
            using var engine = CliEngine.Create(parse, listStore);
            var context = engine.Store;
            var all = await context.Store.ListCollectionsAsync(ct).ConfigureAwait(false);
            await WriteAsync(parse.InvocationConfiguration.Output, all, parse.GetValue(listJson)).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var infoStore = new StoreOptions();
        var infoJson = CommonOptions.Json();
        var infoName = new Argument<string>("NAME") { Description = "Collection name." };
        var info = new Command("info", "Show one collection: images, model, dimension, backend, skipped files.");
        info.Arguments.Add(infoName);
        infoStore.AddTo(info, withCollection: false);
        info.Options.Add(infoJson);
        info.SetAction(async (parse, ct) =>
        {
            using var engine = CliEngine.Create(parse, infoStore);
            var context = engine.Store;
            var collection = await engine.Collections.OpenStoredAsync(parse.GetValue(infoName)!, ct).ConfigureAwait(false);
            var details = await collection.GetInfoAsync(ct).ConfigureAwait(false);
            await WriteAsync(parse.InvocationConfiguration.Output, [details], parse.GetValue(infoJson), context.State.Skipped(details.Name).Count).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var dropStore = new StoreOptions();
        var dropName = new Argument<string>("NAME") { Description = "Collection name." };
        var yes = new Option<bool>("--yes") { Description = "Really delete the collection and all its embeddings and labels." };
        var drop = new Command("drop", "Delete a collection with its embeddings, labels and skipped-file list (the image files are not touched).");
        drop.Arguments.Add(dropName);
        dropStore.AddTo(drop, withCollection: false);
        drop.Options.Add(yes);
        drop.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(dropName)!;
            var error = parse.InvocationConfiguration.Error;
            if (!parse.GetValue(yes))
            {
                await error.WriteLineAsync($"collections drop: this deletes collection '{name}' and every embedding and label in it; add --yes to do it.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using var engine = CliEngine.Create(parse, dropStore);
            var context = engine.Store;
            using var writer = context.State.LockCollection(name);
            var dropped = await context.Store.DropCollectionAsync(name, ct).ConfigureAwait(false);
            context.State.Forget(name);
            await error.WriteLineAsync(dropped ? $"dropped collection '{name}'" : $"there is no collection '{name}'").ConfigureAwait(false);
            return dropped ? ExitCodes.Success : ExitCodes.IndexError;
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(info);
        command.Subcommands.Add(drop);
        return command;
    }

    private static async Task WriteAsync(TextWriter output, IReadOnlyList<CollectionInfo> collections, bool json, int? skipped = null)
    {
        if (json)
        {
            foreach (var c in collections)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(CollectionOutput.From(c, skipped), CliJsonContext.Relaxed.CollectionOutput)).ConfigureAwait(false);
            }

            return;
        }

        foreach (var c in collections)
        {
            await output.WriteLineAsync($"{c.Name}\t{c.Count} images\t{c.ModelId}\t{c.Dimension}-d\t{c.Backend}{(skipped is { } s ? $"\t{s} skipped" : "")}").ConfigureAwait(false);
        }
    }
}
