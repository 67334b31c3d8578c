using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Search;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch search (TEXT | --image PATH | --like ID)</c>: the images most similar to a text, an image file,
/// or an indexed image, best first. Results go to stdout: "score path" lines, or with --json
/// <c>{"hits": [{"id", "path", "score"}]}</c>.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var store = new StoreOptions();
        var text = new Argument<string?>("TEXT") { Description = "What to look for, in words.", Arity = ArgumentArity.ZeroOrOne };
        var image = new Option<FileInfo?>("--image") { Description = "Find images similar to this image file." };
        var like = new Option<string?>("--like") { Description = "Find images similar to an indexed image: its id, or its path." };
        var filter = CommonOptions.Filter();
        var k = new Option<int>("-k", "--limit") { Description = "Number of results (1-10000).", DefaultValueFactory = _ => 10 };
        var minScore = CommonOptions.Score("--min-score", "Only results with cosine similarity at least this (-1 to 1).");
        var cutoff = new Option<string?>("--cutoff")
        {
            Description = $"Show only the results the query really matches and count the weaker ones: {ResultOptions.CutoffNames} (default: none; auto is the method measured best).",
        };
        var sort = new Option<string?>("--sort") { Description = $"Order of the matches: {ResultOptions.SortNames} (default: score); with --cutoff, of the matches only." };
        var diversity = new Option<float?>("--diversity") { Description = "0 to 1: favour results unlike those above them (maximal marginal relevance), e.g. 0.3." };
        var mode = new Option<string?>("--mode") { Description = $"For TEXT: {ResultOptions.ModeNames} (default: hybrid, by meaning and by words in file and folder names, metadata and labels)." };
        var json = CommonOptions.Json();
        var command = new Command("search", "Search a collection by text, by an image file, or by an indexed image.");
        command.Arguments.Add(text);
        model.AddTo(command);
        store.AddTo(command);
        foreach (var option in new Option[] { image, like, filter, k, minScore, cutoff, sort, diversity, mode, json })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(r =>
        {
            var given = (r.GetValue(text) is { Length: > 0 } ? 1 : 0) + (r.GetValue(image) is not null ? 1 : 0) + (r.GetValue(like) is { Length: > 0 } ? 1 : 0);
            if (given != 1)
            {
                r.AddError("search: give exactly one of TEXT, --image PATH or --like ID.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(k) is < 1 or > VectorQuery.MaxK)
            {
                await error.WriteLineAsync($"search: -k must be between 1 and {VectorQuery.MaxK}.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var pointFilter = parse.GetValue(filter);
            (Core.Ranking.CutoffMethod Cutoff, ResultOrder Sort, float Diversity, SearchMode Mode) how;
            try
            {
                how = (ResultOptions.Cutoff(parse.GetValue(cutoff)), ResultOptions.Sort(parse.GetValue(sort)), ResultOptions.Diversity(parse.GetValue(diversity)),
                    ResultOptions.Mode(parse.GetValue(mode)));
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"search: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using var engine = CliEngine.Create(parse, model, store);
            var name = store.CollectionName(parse);
            var likeValue = parse.GetValue(like);
            float[] vector;
            IVectorCollection collection;
            Guid? exclude = null;
            ZeroShotScoring? pairs = null; // a text query's scoring: a sigmoid model's probability per text-image pair
            if (likeValue is { Length: > 0 })
            {
                // The stored embedding is the query: no model is loaded.
                collection = await engine.Collections.OpenStoredAsync(name, ct).ConfigureAwait(false);
                var point = await CollectionSearch.FindAsync(collection, likeValue, ct).ConfigureAwait(false);
                if (point?.Vector is null)
                {
                    await error.WriteLineAsync($"search: --like: no indexed image '{likeValue}' in collection '{name}' (give its id or its full path).").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                vector = point.Vector;
                exclude = point.Id;
            }
            else if (parse.GetValue(image) is { } file)
            {
                var encoder = engine.Images;
                collection = await engine.Collections.OpenAsync(name, encoder, ct).ConfigureAwait(false);
                var encoded = (await encoder.EncodeFilesAsync([file.FullName], cancellationToken: ct).ConfigureAwait(false))[0];
                if (!encoded.Succeeded)
                {
                    await error.WriteLineAsync($"search: --image {file}: {encoded.Failure}").ConfigureAwait(false);
                    return ExitCodes.PartialFailure;
                }

                vector = encoded.Embedding;
            }
            else
            {
                var encoder = engine.Text;
                collection = await engine.Collections.OpenAsync(name, encoder, ct).ConfigureAwait(false);
                vector = encoder.Encode([parse.GetValue(text)!], ct)[0];
                pairs = encoder.Scoring;
            }

            var query = new ResultQuery(vector, parse.GetValue(k), 0, pointFilter, parse.GetValue(minScore), how.Cutoff, how.Sort, how.Diversity,
                pairs is null ? null : parse.GetValue(text), how.Mode, exclude);
            ResultPage page;
            try
            {
                page = await ResultSearch.SearchAsync(collection, query, c => engine.Calibration.ThresholdAsync(collection, engine.Text, c), ct).ConfigureAwait(false);
            }
            catch (VectorStoreException e) when (e.Kind == VectorStoreErrorKind.InvalidRequest)
            {
                await error.WriteLineAsync($"search: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            await WriteAsync(parse.InvocationConfiguration.Output, error, page, pairs, parse.GetValue(json)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task WriteAsync(TextWriter output, TextWriter error, ResultPage page, ZeroShotScoring? pairs, bool json)
    {
        var hits = page.Hits.Select(h => h.Hit).ToList();
        if (json)
        {
            var found = new SearchOutput([.. hits.Select(h => ScoredImageOutput.Of(h.Id, h.Payload, h.Score, pairs?.PairProbability(h.Score)))],
                page.Matches, page.Weaker, page.CutoffScore is { } s ? MathF.Round(s, 6) : null, page.CutoffMethod);
            await output.WriteLineAsync(JsonSerializer.Serialize(found, CliJsonContext.Relaxed.SearchOutput)).ConfigureAwait(false);
            return;
        }

        if (page.Matches is { } matches)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{matches:N0} match{(matches == 1 ? "" : "es")} ({page.CutoffMethod} cut{(page.CutoffScore is { } at ? $" at score {at:0.0000}" : "")}); {page.Weaker:N0} weaker result{(page.Weaker == 1 ? "" : "s")} not shown (--cutoff none shows them)"))
                .ConfigureAwait(false);
        }

        foreach (var hit in hits)
        {
            // A sigmoid model's probability beside the cosine: "0.8132  96.5%  path".
            var probability = pairs?.PairProbability(hit.Score) is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p * 100,5:0.0}%  ") : "";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{hit.Score:0.0000}  {probability}{hit.Payload.FullPath}")).ConfigureAwait(false);
        }
    }
}
