using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Core;
using ClipSearch.Core.Index;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch duplicates</c>: groups of near-duplicate images (cosine similarity of their embeddings at least
/// the threshold, linked transitively), largest group first. Each image is compared with its nearest
/// neighbours through the index's own search, so it scales with the index (the graph on large collections).
/// </summary>
internal static class DuplicatesCommand
{
    private const int Neighbours = 32;

    public static Command Create()
    {
        var store = new StoreOptions();
        var threshold = new Option<float>("--threshold") { Description = "Minimum cosine similarity of two near-duplicates (0-1).", DefaultValueFactory = _ => 0.95f };
        var filter = CommonOptions.Filter();
        var json = CommonOptions.Json();
        var command = new Command("duplicates", "Find groups of near-duplicate images. --json: {\"groups\": [{\"images\": [{\"id\", \"path\", \"score\"}]}]} (score: similarity to the group's first image).");
        store.AddTo(command);
        command.Options.Add(threshold);
        command.Options.Add(filter);
        command.Options.Add(json);
        command.Validators.Add(r =>
        {
            if (r.GetValue(threshold) is <= 0 or > 1)
            {
                r.AddError("--threshold must be in (0, 1].");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var pointFilter = parse.GetValue(filter);

            using var engine = CliEngine.Create(parse, store);
            var collection = await engine.Collections.OpenStoredAsync(store.CollectionName(parse), ct).ConfigureAwait(false);
            var groups = await FindAsync(collection, parse.GetValue(threshold), pointFilter, ct).ConfigureAwait(false);
            await WriteAsync(parse.InvocationConfiguration.Output, groups, parse.GetValue(json)).ConfigureAwait(false);
            await parse.InvocationConfiguration.Error.WriteLineAsync($"{groups.Count} groups of near-duplicates ({groups.Sum(g => g.Count)} images)").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Groups (each ordered by similarity to its first member, an arbitrary but stable representative).</summary>
    internal static async Task<List<List<(StoredPoint Point, float Score)>>> FindAsync(IVectorCollection collection, float threshold, PointFilter? filter,
        CancellationToken cancellationToken)
    {
        var points = new List<StoredPoint>();
        await foreach (var batch in collection.ScrollAsync(filter, 1000, withVectors: true, cancellationToken).ConfigureAwait(false))
        {
            points.AddRange(batch);
        }

        var index = points.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var parent = Enumerable.Range(0, points.Count).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        for (var i = 0; i < points.Count; i++)
        {
            var hits = await collection.SearchAsync(new VectorQuery(points[i].Vector!, Neighbours, 0, filter, threshold), cancellationToken).ConfigureAwait(false);
            foreach (var hit in hits)
            {
                if (hit.Id != points[i].Id && index.TryGetValue(hit.Id, out var j))
                {
                    parent[Find(i)] = Find(j);
                }
            }
        }

        return [.. Enumerable.Range(0, points.Count)
            .GroupBy(Find)
            .Where(g => g.Count() > 1)
            .Select(g =>
            {
                var members = g.Select(i => points[i]).OrderBy(p => p.Payload.FullPath, StringComparer.Ordinal).ToList();
                var first = members[0].Vector!;
                return members.Select(p => (p, VectorMath.Cosine(first, p.Vector!))).OrderByDescending(x => x.Item2).ToList();
            })
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g[0].p.Payload.FullPath, StringComparer.Ordinal)];
    }

    private static async Task WriteAsync(TextWriter output, List<List<(StoredPoint Point, float Score)>> groups, bool json)
    {
        if (json)
        {
            var found = new DuplicatesOutput([.. groups.Select(g => new DuplicateGroupOutput([.. g.Select(m => ScoredImageOutput.Of(m.Point.Id, m.Point.Payload, m.Score))]))]);
            await output.WriteLineAsync(JsonSerializer.Serialize(found, CliJsonContext.Relaxed.DuplicatesOutput)).ConfigureAwait(false);
            return;
        }

        foreach (var group in groups)
        {
            foreach (var (point, score) in group)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{score:0.0000}  {point.Payload.FullPath}")).ConfigureAwait(false);
            }

            await output.WriteLineAsync().ConfigureAwait(false);
        }
    }
}
