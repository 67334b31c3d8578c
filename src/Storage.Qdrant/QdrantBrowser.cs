using ClipSearch.Core.Index;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace ClipSearch.Storage.Qdrant;

/// <summary>
/// <see cref="IBrowsableCollection.BrowseAsync"/> on Qdrant. The date orders use Qdrant's order_by on the indexed datetime
/// fields, made exact: order_by leaves the order of equal values open (and the server keeps microseconds, the payload
/// 100 ns), so the first n points by date are read with it, then every point within a second of the n-th one, and the
/// union is sorted here with <see cref="BrowseOrders"/>: whatever the server did with ties, the true first n are in it.
/// Images without a date taken are not in an order_by on taken_at: that order reads the dated ones, then the undated ones
/// by modification time, counting the dated ones to know where one ends. The name order cannot use order_by (a keyword
/// field): it scrolls the matches and sorts them (<see cref="BrowseOrders.SortedPageAsync"/>).
/// </summary>
internal sealed class QdrantBrowser(QdrantVectorStore store, QdrantCollection collection)
{
    /// <summary>How far from the n-th point's date its possible ties are read: far wider than any rounding of the server's.</summary>
    internal static readonly TimeSpan TieWindow = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<StoredPoint>> BrowseAsync(PointFilter? filter, BrowseOrder order, int offset, int limit, CancellationToken cancellationToken)
    {
        BrowseOrders.ValidatePage(offset, limit);
        filter?.Validate();
        if (order == BrowseOrder.Name)
        {
            return await BrowseOrders.SortedPageAsync(collection, filter, order, offset, limit, cancellationToken).ConfigureAwait(false);
        }

        var q = filter is null ? null : QdrantFilters.ToQdrant(filter);
        var end = offset + limit;
        if (order == BrowseOrder.Modified)
        {
            return [.. (await FirstAsync(q, QdrantPayloads.ModifiedAt, end, cancellationToken).ConfigureAwait(false)).Skip(offset)];
        }

        var dated = await store.CallAsync($"count points of '{collection.Name}'", ct => store.Client.CountAsync(collection.Name, Dated(q, true), exact: true,
            cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var (datedEnd, undatedStart, undatedEnd) = TakenSplit(offset, limit, (long)dated);
        var page = new List<StoredPoint>(limit);
        if (offset < datedEnd)
        {
            page.AddRange((await FirstAsync(Dated(q, true), QdrantPayloads.TakenAt, datedEnd, cancellationToken).ConfigureAwait(false)).Skip(offset));
        }

        if (undatedEnd > 0)
        {
            page.AddRange((await FirstAsync(Dated(q, false), QdrantPayloads.ModifiedAt, undatedEnd, cancellationToken).ConfigureAwait(false)).Skip(undatedStart));
        }

        return page;
    }

    /// <summary>
    /// Where a page [offset, offset + limit) of the taken order lies when <paramref name="dated"/> points have a date taken (they
    /// come first): up to which dated point it reads, and from which to which undated point (0, 0 when it needs none).
    /// </summary>
    internal static (int DatedEnd, int UndatedStart, int UndatedEnd) TakenSplit(int offset, int limit, long dated)
    {
        var end = (long)offset + limit;
        return ((int)Math.Min(end, dated), (int)Math.Max(0, offset - dated), (int)Math.Max(0, end - dated));
    }

    /// <summary>The filter, narrowed to the points with a date taken (<paramref name="dated"/>) or without one.</summary>
    internal static Filter Dated(Filter? q, bool dated)
    {
        var f = new Filter();
        if (q is not null)
        {
            f.Must.Add(Filter(q));
        }

        (dated ? f.MustNot : f.Must).Add(IsEmpty(QdrantPayloads.TakenAt));
        return f;
    }

    /// <summary>The filter, narrowed to the points whose <paramref name="field"/> is within <see cref="TieWindow"/> of <paramref name="value"/>.</summary>
    internal static Filter Near(Filter? q, string field, DateTime value)
    {
        var f = new Filter { Must = { DatetimeRange(field, gte: value - TieWindow, lte: value + TieWindow) } };
        if (q is not null)
        {
            f.Must.Add(Filter(q));
        }

        return f;
    }

    /// <summary>The order_by of a page: newest first by <paramref name="field"/>.</summary>
    internal static OrderBy Newest(string field) => new() { Key = field, Direction = Direction.Desc };

    /// <summary>The first <paramref name="n"/> points of <paramref name="q"/> by <paramref name="field"/> (newest first, ties by id), exactly.</summary>
    private async Task<List<StoredPoint>> FirstAsync(Filter? q, string field, int n, CancellationToken cancellationToken)
    {
        var order = field == QdrantPayloads.TakenAt ? BrowseOrder.Taken : BrowseOrder.Modified;
        var top = await store.CallAsync($"read '{collection.Name}' in order", ct => store.Client.ScrollAsync(collection.Name, q, (uint)n, payloadSelector: true,
            vectorsSelector: false, orderBy: Newest(field), cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var read = top.Result.Select(p => QdrantCollection.ToStored(p.Id, p.Payload, null)).ToList();
        var points = read.ToDictionary(p => p.Id);
        if (read.Count == n)
        {
            // The true first n are these, less some tied with the n-th (by the server's rounding or its order of ties), plus
            // those: every one of them is within the window of the n-th's date.
            var last = read[^1].Payload;
            var date = order == BrowseOrder.Taken ? DateTime.SpecifyKind(last.TakenAt!.Value, DateTimeKind.Utc) : last.ModifiedAt.UtcDateTime;
            await foreach (var batch in ScrollAsync(Near(q, field, date), cancellationToken).ConfigureAwait(false))
            {
                foreach (var p in batch)
                {
                    points.TryAdd(p.Id, p);
                }
            }
        }

        var sorted = points.Values.ToList();
        sorted.Sort((a, b) => BrowseOrders.Compare(order, a.Id, a.Payload, b.Id, b.Payload));
        return [.. sorted.Take(n)];
    }

    private async IAsyncEnumerable<List<StoredPoint>> ScrollAsync(Filter q, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PointId? offset = null;
        do
        {
            var page = await store.CallAsync($"scroll '{collection.Name}'", ct => store.Client.ScrollAsync(collection.Name, q, 1000, offset, payloadSelector: true,
                vectorsSelector: false, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            if (page.Result.Count > 0)
            {
                yield return [.. page.Result.Select(p => QdrantCollection.ToStored(p.Id, p.Payload, null))];
            }

            offset = page.NextPageOffset;
        }
        while (offset is not null);
    }
}
