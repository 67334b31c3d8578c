using ClipSearch.Core.Index;
using Qdrant.Client.Grpc;

namespace ClipSearch.Storage.Qdrant;

internal sealed partial class QdrantCollection : IKeywordSearchable
{
    private const int WordBatch = 256;

    /// <inheritdoc/>
    /// <remarks>One filtered scroll per term collects the ids it matches (<see cref="QdrantKeywords.TermFilter"/>); matches are counted here.</remarks>
    public async Task<IReadOnlyList<KeywordHit>> KeywordSearchAsync(KeywordQuery query, CancellationToken cancellationToken = default)
    {
        VectorChecks.ValidateKeywordQuery(query);
        await BackfillWordsAsync(cancellationToken).ConfigureAwait(false);
        var matched = new Dictionary<Guid, int>();
        foreach (var term in KeywordRanking.DistinctTerms(query))
        {
            var check = QdrantKeywords.NeedsCheck(term);
            var filter = QdrantKeywords.TermFilter(term, query.Filter);
            var payload = check ? new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { QdrantKeywords.Words } } } : new WithPayloadSelector { Enable = false };
            PointId? offset = null;
            do
            {
                var page = await Store.CallAsync($"search words in '{Name}'", ct => Store.Client.ScrollAsync(Name, filter, 1000, offset, payload, false,
                    cancellationToken: ct), cancellationToken).ConfigureAwait(false);
                foreach (var p in page.Result)
                {
                    if (!check || KeywordQuery.Matches(term, Strings(p.Payload, QdrantKeywords.Words)))
                    {
                        var id = Guid.Parse(p.Id.Uuid);
                        matched[id] = matched.GetValueOrDefault(id) + 1;
                    }
                }

                offset = page.NextPageOffset;
            }
            while (offset is not null);
        }

        // Every term asked for: the images that matched them all (the per-term scrolls above give exactly the embedded store's AND).
        return KeywordRanking.Top(matched, query.Limit, query.All ? KeywordRanking.DistinctTerms(query).Count : 1);
    }

    /// <summary>
    /// Upgrade in place, once per collection per store instance: creates the keyword fields' indexes (a no-op when they exist) and writes the keyword
    /// fields of points stored before they existed.
    /// </summary>
    private async Task BackfillWordsAsync(CancellationToken cancellationToken)
    {
        if (Store.WordsBackfilled.ContainsKey(Name))
        {
            return;
        }

        foreach (var (field, type) in QdrantKeywords.Indexed)
        {
            await Store.CallAsync($"index words of '{Name}'", ct => Store.Client.CreatePayloadIndexAsync(Name, field, type, cancellationToken: ct), cancellationToken)
                .ConfigureAwait(false);
        }

        var missing = new Filter { Must = { Conditions.IsEmpty(QdrantKeywords.Words) } };
        await RewriteWordsAsync((await ScrollWordSourcesAsync(missing, cancellationToken).ConfigureAwait(false)).Select(p => (p.Id, p.Payload)), cancellationToken)
            .ConfigureAwait(false);
        Store.WordsBackfilled.TryAdd(Name, 0);
    }

    /// <summary>The payload fields the keyword fields are made from, of the points among <paramref name="ids"/> that exist.</summary>
    private async Task<List<(Guid Id, ImagePayload Payload)>> ReadWordSourcesAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        var points = await Store.CallAsync($"read points of '{Name}'", ct => Store.Client.RetrieveAsync(Name, ids.Select(id => (PointId)id).ToList(),
            QdrantKeywords.SourceFields(), false, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return points.Select(p => (Guid.Parse(p.Id.Uuid), QdrantPayloads.FromQdrant(p.Payload))).ToList();
    }

    private async Task<List<(Guid Id, ImagePayload Payload)>> ScrollWordSourcesAsync(Filter filter, CancellationToken cancellationToken)
    {
        var found = new List<(Guid, ImagePayload)>();
        PointId? offset = null;
        do
        {
            var page = await Store.CallAsync($"scroll '{Name}'", ct => Store.Client.ScrollAsync(Name, filter, 1000, offset, QdrantKeywords.SourceFields(), false,
                cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            found.AddRange(page.Result.Select(p => (Guid.Parse(p.Id.Uuid), QdrantPayloads.FromQdrant(p.Payload))));
            offset = page.NextPageOffset;
        }
        while (offset is not null);
        return found;
    }

    private async Task RewriteWordsAsync(IEnumerable<(Guid Id, ImagePayload Payload)> points, CancellationToken cancellationToken)
    {
        foreach (var chunk in points.Chunk(WordBatch))
        {
            var operations = chunk.Select(p => QdrantKeywords.SetOperation(p.Id, p.Payload)).ToList();
            await Store.CallAsync($"write words in '{Name}'", ct => Store.Client.UpdateBatchAsync(Name, operations, wait: true, cancellationToken: ct), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary><paramref name="payload"/> with <paramref name="label"/> in <paramref name="labelSet"/>, or without that set when null.</summary>
    internal static ImagePayload WithLabel(ImagePayload payload, string labelSet, LabelAssignment? label)
    {
        var labels = new Dictionary<string, LabelAssignment>(payload.Labels, StringComparer.Ordinal);
        if (label is null)
        {
            labels.Remove(labelSet);
        }
        else
        {
            labels[labelSet] = label;
        }

        return payload with { Labels = labels };
    }

    private static IEnumerable<string> Strings(Google.Protobuf.Collections.MapField<string, Value> payload, string field) =>
        payload.TryGetValue(field, out var v) && v.KindCase == Value.KindOneofCase.ListValue
            ? v.ListValue.Values.Where(s => s.KindCase == Value.KindOneofCase.StringValue).Select(s => s.StringValue)
            : [];
}
