namespace ClipSearch.Core.Index;

// The filter kinds are one closed hierarchy of small records, read together: one file for all of them (one file
// each, as STYLE.md asks of types, would scatter a dozen records of a few lines).

/// <summary>
/// A condition on a point's payload; both backends give identical results. A condition on a field the
/// point lacks (no EXIF date, no label in that set) is false, so its negation is true.
/// </summary>
public abstract record PointFilter
{
    public static PointFilter operator &(PointFilter left, PointFilter right) => new AndFilter([left, right]);

    public static PointFilter operator |(PointFilter left, PointFilter right) => new OrFilter([left, right]);

    public static PointFilter operator !(PointFilter filter) => new NotFilter(filter);

    public PointFilter BitwiseAnd(PointFilter other) => this & other;

    public PointFilter BitwiseOr(PointFilter other) => this | other;

    public PointFilter LogicalNot() => !this;

    /// <summary>Whether <paramref name="payload"/> satisfies the filter (the reference semantics, used by the embedded backend).</summary>
    public abstract bool Matches(ImagePayload payload);

    /// <summary>Throws <see cref="VectorStoreException"/> (InvalidRequest) when the filter cannot be evaluated.</summary>
    public abstract void Validate();
}

/// <summary>Images in <see cref="Folder"/> or any folder below it (an absolute path, '/' separators).</summary>
public sealed record FolderFilter(string Folder) : PointFilter
{
    public string Normalized => Folder.Length > 1 ? Folder.TrimEnd('/') : Folder;

    public override bool Matches(ImagePayload payload) => payload.IsInFolder(Normalized);

    public override void Validate()
    {
        if (string.IsNullOrWhiteSpace(Folder) || !Folder.StartsWith('/'))
        {
            throw new VectorStoreException(VectorStoreErrorKind.InvalidRequest, $"A folder filter needs an absolute folder path, got '{Folder}'.");
        }
    }
}

/// <summary>Images whose sniffed format is one of <see cref="Formats"/> (lower case: "jpeg", "png", ...).</summary>
public sealed record FormatFilter(IReadOnlyList<string> Formats) : PointFilter
{
    public override bool Matches(ImagePayload payload) => payload.Format is { } f && Formats.Contains(f, StringComparer.Ordinal);

    public override void Validate()
    {
        if (Formats.Count == 0 || Formats.Any(string.IsNullOrWhiteSpace))
        {
            throw new VectorStoreException(VectorStoreErrorKind.InvalidRequest, "A format filter needs at least one format name.");
        }
    }
}

/// <summary>A numeric payload field that ranges can filter on.</summary>
public enum NumericField
{
    Width,
    Height,
    SizeBytes,
}

/// <summary><see cref="Field"/> within [<see cref="Min"/>, <see cref="Max"/>] (inclusive; a null bound is open).</summary>
public sealed record RangeFilter(NumericField Field, long? Min, long? Max) : PointFilter
{
    public override bool Matches(ImagePayload payload)
    {
        long value = Field switch
        {
            NumericField.Width => payload.Width,
            NumericField.Height => payload.Height,
            _ => payload.SizeBytes,
        };
        return (Min is null || value >= Min) && (Max is null || value <= Max);
    }

    public override void Validate()
    {
        if (Min is null && Max is null || Min > Max)
        {
            throw new VectorStoreException(VectorStoreErrorKind.InvalidRequest, $"A {Field} range needs a bound and min <= max, got [{Min}, {Max}].");
        }
    }
}

/// <summary>A date payload field that ranges can filter on.</summary>
public enum DateField
{
    TakenAt,
    ModifiedAt,
}

/// <summary><see cref="Field"/> within [<see cref="From"/>, <see cref="To"/>] (inclusive; a null bound is open). Images without the date never match.</summary>
public sealed record DateRangeFilter(DateField Field, DateTimeOffset? From, DateTimeOffset? To) : PointFilter
{
    public override bool Matches(ImagePayload payload)
    {
        DateTimeOffset? value = Field == DateField.ModifiedAt
            ? payload.ModifiedAt
            : payload.TakenAt is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
        return value is { } v && (From is null || v >= From) && (To is null || v <= To);
    }

    public override void Validate()
    {
        if (From is null && To is null || From > To)
        {
            throw new VectorStoreException(VectorStoreErrorKind.InvalidRequest, $"A {Field} range needs a bound and from <= to, got [{From}, {To}].");
        }
    }
}

/// <summary>
/// Images given one of <see cref="Labels"/> in label set <see cref="LabelSet"/> (as their best label or, by a multi-label run,
/// as a further one), that label's score at least <see cref="MinScore"/>.
/// </summary>
public sealed record LabelFilter(string LabelSet, IReadOnlyList<string> Labels, float? MinScore = null) : PointFilter
{
    // Asked once per point per query in filtered scans: no iterator, no closure.
    public override bool Matches(ImagePayload payload)
    {
        if (!payload.Labels.TryGetValue(LabelSet, out var a))
        {
            return false;
        }

        if (Holds(a.Label, a.Score))
        {
            return true;
        }

        foreach (var also in a.Also ?? [])
        {
            if (Holds(also.Label, also.Score))
            {
                return true;
            }
        }

        return false;
    }

    private bool Holds(string label, float score) => (MinScore is null || score >= MinScore) && Labels.Contains(label, StringComparer.Ordinal);

    public override void Validate()
    {
        LabelSets.Validate(LabelSet);
        if (Labels.Count == 0)
        {
            throw new VectorStoreException(VectorStoreErrorKind.InvalidRequest, "A label filter needs at least one label.");
        }
    }
}

/// <summary>All of <see cref="Filters"/>.</summary>
public sealed record AndFilter(IReadOnlyList<PointFilter> Filters) : PointFilter
{
    public override bool Matches(ImagePayload payload) => Filters.All(f => f.Matches(payload));

    public override void Validate()
    {
        foreach (var f in Filters)
        {
            f.Validate();
        }
    }
}

/// <summary>Any of <see cref="Filters"/>.</summary>
public sealed record OrFilter(IReadOnlyList<PointFilter> Filters) : PointFilter
{
    public override bool Matches(ImagePayload payload) => Filters.Any(f => f.Matches(payload));

    public override void Validate()
    {
        if (Filters.Count == 0)
        {
            throw new VectorStoreException(VectorStoreErrorKind.InvalidRequest, "An 'or' filter needs at least one condition.");
        }

        foreach (var f in Filters)
        {
            f.Validate();
        }
    }
}

/// <summary>Not <see cref="Filter"/>.</summary>
public sealed record NotFilter(PointFilter Filter) : PointFilter
{
    public override bool Matches(ImagePayload payload) => !Filter.Matches(payload);

    public override void Validate() => Filter.Validate();
}
