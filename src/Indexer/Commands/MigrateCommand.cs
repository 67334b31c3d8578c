using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ClipSearch.Core.Index;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Stores;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch migrate --to-qdrant URL</c> (or <c>--to-store DIR</c>): copies a collection, embeddings, payloads and
/// labels, from the index it is in (--store / --qdrant, as every command) to another, without decoding or
/// embedding anything again. Idempotent: running it again after an interruption copies everything again over
/// itself and ends with the same collection. After it, <c>clipsearch index --qdrant URL PATH</c> finds the copied
/// images unchanged.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var source = new StoreOptions();
        var toStore = new Option<DirectoryInfo?>("--to-store") { Description = "Copy into this embedded index folder." };
        var toQdrant = new Option<Uri?>("--to-qdrant") { Description = "Copy into this Qdrant server (gRPC URL, e.g. http://localhost:6334).", CustomParser = CommonOptions.ParseUrl };
        var toQdrantKey = new Option<string?>("--to-qdrant-api-key") { Description = $"API key of the target Qdrant server (default: --qdrant-api-key, else ${EnvironmentSettings.QdrantApiKey})." };
        var toCollection = new Option<string?>("--to-collection") { Description = "Name of the copy (default: the same name)." };
        var batch = new Option<int>("--batch") { Description = "Points per write.", DefaultValueFactory = _ => 512 };
        var json = CommonOptions.Json();
        var command = new Command("migrate", "Copy a collection (embeddings, payloads, labels) to another index, e.g. from the embedded index to Qdrant, without re-embedding.");
        source.AddTo(command);
        foreach (var option in new Option[] { toStore, toQdrant, toQdrantKey, toCollection, batch, json })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(r =>
        {
            if ((r.GetResult(toStore) is { Implicit: false }) == (r.GetResult(toQdrant) is { Implicit: false }))
            {
                r.AddError("migrate: give the target: --to-store DIR or --to-qdrant URL.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(batch) is < 1 or > 10_000)
            {
                await error.WriteLineAsync("migrate: --batch must be between 1 and 10000.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var name = source.CollectionName(parse);
            var targetName = parse.GetValue(toCollection) ?? name;
            using var engine = CliEngine.Create(parse, source);
            var from = engine.Store;
            var settings = engine.IndexSettings;
            using var toContext = parse.GetValue(toQdrant) is { } url
                ? StoreFactory.OpenQdrant(settings.Qdrant.ForServer(url, parse.GetValue(toQdrantKey) ?? settings.Qdrant.ApiKey))
                : StoreFactory.OpenEmbedded(new EmbeddedStoreOptions { Path = parse.GetValue(toStore)!.FullName });
            var to = toContext.Store;
            var target = parse.GetValue(toQdrant)?.ToString() ?? parse.GetValue(toStore)!.FullName;
            if (from.Store is EmbeddedVectorStore a && to is EmbeddedVectorStore b && a.Folder == b.Folder && name == targetName)
            {
                await error.WriteLineAsync("migrate: the source and the target are the same collection.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var collection = await engine.Collections.OpenStoredAsync(name, ct).ConfigureAwait(false);
            var copy = (await to.ListCollectionsAsync(ct).ConfigureAwait(false)).Any(c => c.Name == targetName)
                ? await to.OpenCollectionAsync(targetName, collection.ModelId, collection.Dimension, ct).ConfigureAwait(false)
                : await to.CreateCollectionAsync(targetName, collection.ModelId, collection.Dimension, ct).ConfigureAwait(false);
            var total = await collection.CountAsync(null, ct).ConfigureAwait(false);
            var line = new StatusLine(error, StatusLine.IsInteractive(error), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
            var clock = Stopwatch.StartNew();
            long copied = 0;
            await foreach (var page in collection.ScrollAsync(null, parse.GetValue(batch), withVectors: true, ct).ConfigureAwait(false))
            {
                await copy.UpsertAsync([.. page.Select(p => new VectorPoint(p.Id, p.Vector!, p.Payload))], ct).ConfigureAwait(false);
                copied += page.Count;
                line.Show(() => $"migrating: {copied:N0}/{total:N0} points, {copied / Math.Max(0.001, clock.Elapsed.TotalSeconds):0} points/s");
            }

            line.Close();
            if (to is EmbeddedVectorStore embedded)
            {
                await GraphProgress.FinishAsync(embedded, targetName, error, ct).ConfigureAwait(false);
            }

            await error.WriteLineAsync($"copied {copied:N0} points of '{name}' ({collection.ModelId}, {collection.Dimension} dimensions) from {from.Description} to '{targetName}' in {target} in {clock.Elapsed.TotalSeconds:0.0} s")
                .ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                var migrated = new MigrateOutput(name, targetName, target, copied, Math.Round(clock.Elapsed.TotalSeconds, 3));
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(migrated, CliJsonContext.Relaxed.MigrateOutput)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
