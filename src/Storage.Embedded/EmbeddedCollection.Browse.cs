using ClipSearch.Core.Index;

namespace ClipSearch.Storage.Embedded;

internal sealed partial class EmbeddedCollection : IBrowsableCollection
{
    // One sorted order of the mirror's slots per browse order, kept while the mirror is unchanged (same seq and
    // generation): paging through a collection sorts it once, not once per page.
    private readonly BrowseCache?[] _browse = new BrowseCache?[Enum.GetValues<BrowseOrder>().Length];

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredPoint>> BrowseAsync(PointFilter? filter, BrowseOrder order, int offset, int limit, CancellationToken cancellationToken = default)
    {
        BrowseOrders.ValidatePage(offset, limit);
        filter?.Validate();
        Refresh();
        return Task.FromResult<IReadOnlyList<StoredPoint>>(Read(() =>
        {
            var page = new List<StoredPoint>(Math.Min(limit, 1024));
            var skip = offset;
            foreach (var slot in SortedSlots(order))
            {
                var payload = _table.PayloadAt(slot)!;
                if (filter is not null && !filter.Matches(payload))
                {
                    continue;
                }

                if (skip-- > 0)
                {
                    continue;
                }

                page.Add(new StoredPoint(_table.Ids[slot], null, payload));
                if (page.Count == limit)
                {
                    break;
                }
            }

            return page;
        }));
    }

    /// <summary>The live slots in <paramref name="order"/>; called under the table's read lock.</summary>
    private int[] SortedSlots(BrowseOrder order)
    {
        var cached = Volatile.Read(ref _browse[(int)order]);
        if (cached is not null && cached.Seq == _table.Seq && cached.Generation == _table.Generation)
        {
            return cached.Slots;
        }

        var slots = new List<int>(_table.Count);
        for (var slot = 0; slot < _table.HighWater; slot++)
        {
            if (_table.PayloadAt(slot) is not null)
            {
                slots.Add(slot);
            }
        }

        var ids = _table.Ids;
        var sorted = slots.ToArray();
        Array.Sort(sorted, (a, b) => BrowseOrders.Compare(order, ids[a], _table.PayloadAt(a)!, ids[b], _table.PayloadAt(b)!));
        Volatile.Write(ref _browse[(int)order], new BrowseCache(_table.Seq, _table.Generation, sorted));
        return sorted;
    }

    private sealed record BrowseCache(long Seq, string Generation, int[] Slots);
}
