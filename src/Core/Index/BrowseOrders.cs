namespace ClipSearch.Core.Index;

/// <summary>The orders of <see cref="BrowseOrder"/> as comparisons, shared by the backends so that they sort alike.</summary>
public static class BrowseOrders
{
    /// <summary>Negative when the point (<paramref name="a"/>, <paramref name="pa"/>) comes before (<paramref name="b"/>, <paramref name="pb"/>).</summary>
    public static int Compare(BrowseOrder order, Guid a, ImagePayload pa, Guid b, ImagePayload pb)
    {
        var byPayload = order switch
        {
            BrowseOrder.Modified => pb.ModifiedAt.CompareTo(pa.ModifiedAt),
            BrowseOrder.Taken => (pa.TakenAt, pb.TakenAt) switch
            {
                ({ } ta, { } tb) => tb.CompareTo(ta),
                (null, null) => pb.ModifiedAt.CompareTo(pa.ModifiedAt),
                (null, _) => 1,
                _ => -1,
            },
            BrowseOrder.Name => string.CompareOrdinal(pa.Root, pb.Root) is var root and not 0 ? root : string.CompareOrdinal(pa.Path, pb.Path),
            _ => throw new ArgumentOutOfRangeException(nameof(order), order, "unknown browse order"),
        };
        return byPayload != 0 ? byPayload : a.CompareTo(b);
    }

    /// <summary>Refuses a page that <see cref="IBrowsableCollection.BrowseAsync"/> does not define.</summary>
    public static void ValidatePage(int offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
    }

    /// <summary>
    /// A page read the plain way: every matching point's payload scrolled (no vectors), sorted, sliced. For backends
    /// whose server cannot order by these fields with stable ties (see the Qdrant backend).
    /// </summary>
    public static async Task<IReadOnlyList<StoredPoint>> SortedPageAsync(IVectorCollection collection, PointFilter? filter, BrowseOrder order, int offset, int limit,
        CancellationToken cancellationToken)
    {
        ValidatePage(offset, limit);
        var all = new List<StoredPoint>();
        await foreach (var batch in collection.ScrollAsync(filter, 1000, withVectors: false, cancellationToken).ConfigureAwait(false))
        {
            all.AddRange(batch);
        }

        all.Sort((x, y) => Compare(order, x.Id, x.Payload, y.Id, y.Payload));
        return all.Skip(offset).Take(limit).ToList();
    }
}
