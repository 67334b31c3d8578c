using System.CommandLine;
using System.Globalization;
using ClipSearch.Clip.Imaging;
using ClipSearch.Core.Index;
using ClipSearch.Indexer.Cli;

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
        var minScore = new Option<float?>("--min-score") { Description = "Only results with cosine similarity at least this." };
        var json = CommonOptions.Json();
        var command = new Command("search", "Search a collection by text, by an image file, or by an indexed image.");
        command.Arguments.Add(text);
        model.AddTo(command);
        store.AddTo(command);
        foreach (var option in new Option[] { image, like, filter, k, minScore, json })
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

            using var context = store.Open(parse);
            var name = store.CollectionName(parse);
            var likeValue = parse.GetValue(like);
            float[] vector;
            IVectorCollection collection;
            Guid? exclude = null;
            if (likeValue is { Length: > 0 })
            {
                collection = await context.Store.OpenCollectionAsync(name, null, null, ct).ConfigureAwait(false);
                var point = await FindAsync(collection, likeValue, ct).ConfigureAwait(false);
                if (point?.Vector is null)
                {
                    await error.WriteLineAsync($"search: --like: no indexed image '{likeValue}' in collection '{name}' (give its id or its full path).").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                vector = point.Vector;
                exclude = point.Id;
            }
            else
            {
                using var logging = CliLogging.Create(parse.GetValue(model.Verbose));
                using var clip = model.Load(parse, logging);
                collection = await context.Store.OpenCollectionAsync(name, clip.ModelId, clip.Dimension, ct).ConfigureAwait(false);
                if (parse.GetValue(image) is { } file)
                {
                    using var preparer = ImagePreparers.Create(clip, new ImageDecodeOptions(), 1);
                    var prepared = await preparer.PrepareFileAsync(file.FullName, ct).ConfigureAwait(false);
                    if (!prepared.Succeeded)
                    {
                        await error.WriteLineAsync($"search: --image {file}: {prepared.Failure}").ConfigureAwait(false);
                        return ExitCodes.PartialFailure;
                    }

                    vector = clip.EncodePixelTensors([prepared.Image.Tensor], ct)[0];
                }
                else
                {
                    vector = clip.EncodeText(parse.GetValue(text)!);
                }
            }

            var limit = parse.GetValue(k);
            var hits = await collection.SearchAsync(new VectorQuery(vector, Math.Min(VectorQuery.MaxK, limit + (exclude is null ? 0 : 1)), 0, pointFilter,
                parse.GetValue(minScore)), ct).ConfigureAwait(false);
            var shown = hits.Where(h => h.Id != exclude).Take(limit).ToList();
            await WriteAsync(parse.InvocationConfiguration.Output, shown, parse.GetValue(json)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>An indexed point by id, or by its full path.</summary>
    internal static async Task<StoredPoint?> FindAsync(IVectorCollection collection, string idOrPath, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(idOrPath, out var id))
        {
            return await collection.GetAsync(id, withVector: true, cancellationToken).ConfigureAwait(false);
        }

        var full = Path.GetFullPath(idOrPath).Replace(Path.DirectorySeparatorChar, '/');
        var folder = Path.GetDirectoryName(full)!.Replace(Path.DirectorySeparatorChar, '/');
        await foreach (var batch in collection.ScrollAsync(new FolderFilter(folder), 1000, withVectors: false, cancellationToken).ConfigureAwait(false))
        {
            if (batch.FirstOrDefault(p => p.Payload.FullPath == full) is { } match)
            {
                return await collection.GetAsync(match.Id, withVector: true, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    private static async Task WriteAsync(TextWriter output, List<SearchHit> hits, bool json)
    {
        if (json)
        {
            await output.WriteLineAsync(JsonLine.Write(w =>
            {
                w.WriteStartArray("hits");
                foreach (var hit in hits)
                {
                    w.WriteStartObject();
                    w.WriteString("id", hit.Id);
                    w.WriteString("path", hit.Payload.FullPath);
                    w.WriteNumber("score", Math.Round(hit.Score, 6));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            })).ConfigureAwait(false);
            return;
        }

        foreach (var hit in hits)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{hit.Score:0.0000}  {hit.Payload.FullPath}")).ConfigureAwait(false);
        }
    }
}
