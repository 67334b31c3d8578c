using System.Runtime.CompilerServices;
using ClipSearch.Core.Index;
using Qdrant.Client.Grpc;
using CollectionInfo = ClipSearch.Core.Index.CollectionInfo;

namespace ClipSearch.Storage.Qdrant;

/// <summary>One Qdrant collection. Writes wait until applied (wait=true), so an acknowledged upsert is durable on the server.</summary>
internal sealed partial class QdrantCollection(QdrantVectorStore store, string name, string modelId, int dimension) : IVectorCollection, IBrowsableCollection
{
    private QdrantVectorStore Store => store;

    public string Name => name;

    public string ModelId => modelId;

    public int Dimension => dimension;

    public async Task<CollectionInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        var count = await CountAsync((PointFilter?)null, cancellationToken).ConfigureAwait(false);
        return new CollectionInfo(name, modelId, dimension, count, QdrantVectorStore.BackendName);
    }

    public Task UpsertAsync(IReadOnlyList<VectorPoint> points, CancellationToken cancellationToken = default)
    {
        VectorChecks.ValidatePoints(points, name, dimension);
        if (points.Count == 0)
        {
            return Task.CompletedTask;
        }

        var structs = points.GroupBy(p => p.Id).Select(g => g.Last()).Select(ToPointStruct).ToList();
        return store.CallAsync($"upsert points into '{name}'", ct => store.Client.UpsertAsync(name, structs, wait: true, cancellationToken: ct), cancellationToken);
    }

    internal static PointStruct ToPointStruct(VectorPoint p)
    {
        var s = new PointStruct { Id = p.Id, Vectors = p.Vector };
        s.Payload.Add(QdrantPayloads.ToQdrant(p.Payload));
        return s;
    }

    public async Task<long> DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        var filter = new Filter { Must = { Conditions.HasId(ids.Distinct().ToList()) } };
        var existing = await CountQdrantAsync(filter, cancellationToken).ConfigureAwait(false);
        await store.CallAsync($"delete points from '{name}'", ct => store.Client.DeleteAsync(name, ids.Distinct().ToList(), wait: true, cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);
        return existing;
    }

    public async Task<long> DeleteAsync(PointFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate();
        var q = QdrantFilters.ToQdrant(filter);
        var existing = await CountQdrantAsync(q, cancellationToken).ConfigureAwait(false);
        await store.CallAsync($"delete points from '{name}'", ct => store.Client.DeleteAsync(name, q, wait: true, cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);
        return existing;
    }

    public async Task<StoredPoint?> GetAsync(Guid id, bool withVector = false, CancellationToken cancellationToken = default)
    {
        var points = await store.CallAsync($"read a point of '{name}'", ct => store.Client.RetrieveAsync(name, [id], QdrantKeywords.PayloadWithoutWords(), withVector, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        return points.Count == 0 ? null : ToStored(points[0].Id, points[0].Payload, withVector ? points[0].Vectors : null);
    }

    /// <inheritdoc/>
    /// <remarks>See <see cref="QdrantBrowser"/>: order_by on the datetime fields, made exact for ties.</remarks>
    public Task<IReadOnlyList<StoredPoint>> BrowseAsync(PointFilter? filter, BrowseOrder order, int offset, int limit, CancellationToken cancellationToken = default) =>
        new QdrantBrowser(store, this).BrowseAsync(filter, order, offset, limit, cancellationToken);

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default)
    {
        VectorChecks.ValidateQuery(query, name, dimension);
        var filter = query.Filter is null ? null : QdrantFilters.ToQdrant(query.Filter);
        var parameters = new SearchParams { Exact = store.Options.ExactSearch };
        var points = await store.CallAsync($"search '{name}'", ct => store.Client.QueryAsync(name, query.Vector, filter: filter, scoreThreshold: query.MinScore,
            searchParams: parameters, limit: (ulong)query.K, offset: (ulong)query.Offset, payloadSelector: QdrantKeywords.PayloadWithoutWords(), cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        // Qdrant leaves the order of equal scores open; the contract orders them by id.
        return points.Select(p => new SearchHit(Guid.Parse(p.Id.Uuid), p.Score, QdrantPayloads.FromQdrant(p.Payload)))
            .OrderByDescending(h => h.Score).ThenBy(h => h.Id).ToList();
    }

    public Task<long> CountAsync(PointFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate();
        return CountQdrantAsync(filter is null ? null : QdrantFilters.ToQdrant(filter), cancellationToken);
    }

    private async Task<long> CountQdrantAsync(Filter? filter, CancellationToken cancellationToken) =>
        (long)await store.CallAsync($"count points of '{name}'", ct => store.Client.CountAsync(name, filter, exact: true, cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);

    public async IAsyncEnumerable<IReadOnlyList<StoredPoint>> ScrollAsync(PointFilter? filter = null, int batchSize = 1000, bool withVectors = true,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        filter?.Validate();
        var q = filter is null ? null : QdrantFilters.ToQdrant(filter);
        PointId? offset = null;
        do
        {
            var page = await store.CallAsync($"scroll '{name}'", ct => store.Client.ScrollAsync(name, q, (uint)batchSize, offset, payloadSelector: QdrantKeywords.PayloadWithoutWords(),
                vectorsSelector: withVectors, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            if (page.Result.Count > 0)
            {
                yield return page.Result.Select(p => ToStored(p.Id, p.Payload, withVectors ? p.Vectors : null)).ToList();
            }

            offset = page.NextPageOffset;
        }
        while (offset is not null);
    }

    public async Task SetLabelsAsync(string labelSet, IReadOnlyList<KeyValuePair<Guid, LabelAssignment>> labels, CancellationToken cancellationToken = default)
    {
        LabelSets.Validate(labelSet);
        ArgumentNullException.ThrowIfNull(labels);
        var latest = labels.GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        var operations = latest.Select(kv => SetLabelOperation(labelSet, kv.Key, kv.Value)).ToList();
        if (operations.Count == 0)
        {
            return;
        }

        await EnsureLabelIndexesAsync(labelSet, cancellationToken).ConfigureAwait(false);
        // Label names are words of the image's text: the keyword fields are rewritten with the new label in the same batch.
        var current = await ReadWordSourcesAsync(latest.Keys.ToList(), cancellationToken).ConfigureAwait(false);
        operations.AddRange(current.Select(p => QdrantKeywords.SetOperation(p.Id, WithLabel(p.Payload, labelSet, latest[p.Id]))));
        await store.CallAsync($"write labels in '{name}'", ct => store.Client.UpdateBatchAsync(name, operations, wait: true, cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Label filters read labels.{set}.label and .score, and a multi-label run's labels.{set}.also[].label and .score: index them the first time a set is written (creating an existing index is a no-op).</summary>
    private async Task EnsureLabelIndexesAsync(string labelSet, CancellationToken cancellationToken)
    {
        if (!_indexedLabelSets.TryAdd(labelSet, 0))
        {
            return;
        }

        foreach (var (field, type) in LabelIndexes(labelSet))
        {
            await store.CallAsync($"index labels of '{name}'", ct => store.Client.CreatePayloadIndexAsync(name, field, type, cancellationToken: ct), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    internal static IEnumerable<(string Field, PayloadSchemaType Type)> LabelIndexes(string labelSet) =>
    [
        (QdrantPayloads.LabelKey(labelSet, "label"), PayloadSchemaType.Keyword),
        (QdrantPayloads.LabelKey(labelSet, "score"), PayloadSchemaType.Float),
        (QdrantPayloads.LabelKey(labelSet, QdrantPayloads.AlsoField) + "[].label", PayloadSchemaType.Keyword),
        (QdrantPayloads.LabelKey(labelSet, QdrantPayloads.AlsoField) + "[].score", PayloadSchemaType.Float),
    ];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _indexedLabelSets = new(StringComparer.Ordinal);

    /// <summary>Sets labels.{set} of one point, leaving its other label sets alone (a keyed set_payload).</summary>
    internal static PointsUpdateOperation SetLabelOperation(string labelSet, Guid id, LabelAssignment label)
    {
        var set = new PointsUpdateOperation.Types.SetPayload
        {
            Key = QdrantPayloads.Labels,
            PointsSelector = new PointsSelector { Points = new PointsIdsList { Ids = { (PointId)id } } },
        };
        set.Payload[labelSet] = QdrantPayloads.LabelValue(label);
        return new PointsUpdateOperation { SetPayload = set };
    }

    public async Task<long> ClearLabelsAsync(string labelSet, PointFilter? filter = null, CancellationToken cancellationToken = default)
    {
        LabelSets.Validate(labelSet);
        filter?.Validate();
        var having = new Filter { Must = { Conditions.Filter(new Filter { MustNot = { Conditions.IsEmpty(QdrantPayloads.LabelKey(labelSet, "label")) } }) } };
        if (filter is not null)
        {
            having.Must.Add(QdrantFilters.ToCondition(filter));
        }

        var count = await CountQdrantAsync(having, cancellationToken).ConfigureAwait(false);
        if (count > 0)
        {
            var affected = await ScrollWordSourcesAsync(having, cancellationToken).ConfigureAwait(false);
            await store.CallAsync($"clear labels in '{name}'", ct => store.Client.DeletePayloadAsync(name, [$"{QdrantPayloads.Labels}.{labelSet}"], having, wait: true,
                cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            await RewriteWordsAsync(affected.Select(p => (p.Id, WithLabel(p.Payload, labelSet, null))), cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    internal static StoredPoint ToStored(PointId id, Google.Protobuf.Collections.MapField<string, Value> payload, VectorsOutput? vectors) =>
        new(Guid.Parse(id.Uuid), vectors is null ? null : ReadVector(vectors), QdrantPayloads.FromQdrant(payload));

    private static float[] ReadVector(VectorsOutput vectors)
    {
        var v = vectors.Vector;
#pragma warning disable CS0612, CS0618 // Servers before 1.16 fill the deprecated Data field instead of Dense.
        return v.Dense is { } dense ? dense.Data.ToArray() : v.Data.ToArray();
#pragma warning restore CS0612, CS0618
    }
}
