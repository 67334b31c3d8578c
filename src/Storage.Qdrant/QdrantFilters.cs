using ClipSearch.Core.Index;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;
using QRange = Qdrant.Client.Grpc.Range;

namespace ClipSearch.Storage.Qdrant;

/// <summary>
/// Our filters as Qdrant filters, with the same semantics: and = must, or = should, not = must_not; a
/// condition on a missing field is false in both (so must_not of it is true).
/// </summary>
internal static class QdrantFilters
{
    public static Filter ToQdrant(PointFilter filter) => filter switch
    {
        AndFilter and => new Filter { Must = { and.Filters.Select(ToCondition) } },
        OrFilter or => new Filter { Should = { or.Filters.Select(ToCondition) } },
        NotFilter not => new Filter { MustNot = { ToCondition(not.Filter) } },
        _ => new Filter { Must = { ToCondition(filter) } },
    };

    public static Condition ToCondition(PointFilter filter) => filter switch
    {
        FolderFilter f => MatchKeyword(QdrantPayloads.Folders, f.Normalized),
        FormatFilter f => Match(QdrantPayloads.Format, f.Formats.ToList()),
        RangeFilter r => Range(Field(r.Field), new QRange { Gte = r.Min ?? double.NegativeInfinity, Lte = r.Max ?? double.PositiveInfinity }.Trim(r.Min, r.Max)),
        DateRangeFilter d => DatetimeRange(d.Field == DateField.TakenAt ? QdrantPayloads.TakenAt : QdrantPayloads.ModifiedAt,
            gte: d.From?.UtcDateTime, lte: d.To?.UtcDateTime),
        LabelFilter l => Filter(LabelFilter(l)),
        AndFilter or OrFilter or NotFilter => Filter(ToQdrant(filter)),
        _ => throw new VectorStoreException(VectorStoreErrorKind.InvalidRequest, $"The Qdrant backend cannot express the filter {filter.GetType().Name}."),
    };

    // The best label, or one of a multi-label run's further labels (matched element by element, so that label and score
    // are those of one element).
    private static Filter LabelFilter(LabelFilter l) => new()
    {
        Should =
        {
            Filter(LabelMatch(QdrantPayloads.LabelKey(l.LabelSet, "label"), QdrantPayloads.LabelKey(l.LabelSet, "score"), l)),
            Nested(QdrantPayloads.LabelKey(l.LabelSet, QdrantPayloads.AlsoField), LabelMatch("label", "score", l)),
        },
    };

    private static Filter LabelMatch(string labelKey, string scoreKey, LabelFilter l)
    {
        var f = new Filter { Must = { Match(labelKey, l.Labels.ToList()) } };
        if (l.MinScore is { } min)
        {
            f.Must.Add(Range(scoreKey, new QRange { Gte = min }));
        }

        return f;
    }

    private static string Field(NumericField field) => field switch
    {
        NumericField.Width => QdrantPayloads.Width,
        NumericField.Height => QdrantPayloads.Height,
        _ => QdrantPayloads.Size,
    };

    /// <summary>Leaves an open bound unset rather than infinite.</summary>
    private static QRange Trim(this QRange range, long? min, long? max)
    {
        if (min is null)
        {
            range.ClearGte();
        }

        if (max is null)
        {
            range.ClearLte();
        }

        return range;
    }
}
