using System.Globalization;
using System.Text;

namespace ClipSearch.WebUi.State;

/// <summary>The filter panel's fields, turned into the API's filter expression and into URL parameters (and back).</summary>
public sealed record FilterState
{
    public static readonly string[] KnownFormats = ["jpeg", "png", "gif", "webp", "bmp", "tiff"];

    /// <summary>An absolute folder: the image is in it or below it.</summary>
    public string? Folder { get; init; }

    /// <summary>Taken on or after this day.</summary>
    public DateOnly? TakenFrom { get; init; }

    /// <summary>Taken on or before this day.</summary>
    public DateOnly? TakenTo { get; init; }

    public IReadOnlyList<string> Formats { get; init; } = [];

    public int? MinWidth { get; init; }

    public int? MinHeight { get; init; }

    /// <summary>Label set of a categorization run, with <see cref="Label"/>.</summary>
    public string? LabelSet { get; init; }

    public string? Label { get; init; }

    public bool IsEmpty => ToExpression() is null;

    /// <summary>The API's filter expression for these fields, or null when none is set.</summary>
    public string? ToExpression()
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Folder))
        {
            parts.Add($"folder:{Quote(Folder.Trim().TrimEnd('/'))}");
        }

        if (TakenFrom is { } from)
        {
            parts.Add($"taken>={from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        }

        if (TakenTo is { } to)
        {
            parts.Add($"taken<{to.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        }

        if (Formats.Count > 0)
        {
            parts.Add($"format:{string.Join(",", Formats)}");
        }

        if (MinWidth is > 0)
        {
            parts.Add($"width>={MinWidth.Value.ToString(CultureInfo.InvariantCulture)}");
        }

        if (MinHeight is > 0)
        {
            parts.Add($"height>={MinHeight.Value.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!string.IsNullOrWhiteSpace(LabelSet) && !string.IsNullOrWhiteSpace(Label))
        {
            parts.Add($"label:{LabelSet.Trim()}={Quote(Label.Trim())}");
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }

    /// <summary>URL parameters for the fields that are set.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToQuery()
    {
        if (!string.IsNullOrWhiteSpace(Folder))
        {
            yield return new("folder", Folder);
        }

        if (TakenFrom is { } from)
        {
            yield return new("from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (TakenTo is { } to)
        {
            yield return new("to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (Formats.Count > 0)
        {
            yield return new("fmt", string.Join(",", Formats));
        }

        if (MinWidth is > 0)
        {
            yield return new("minw", MinWidth.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (MinHeight is > 0)
        {
            yield return new("minh", MinHeight.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrWhiteSpace(LabelSet) && !string.IsNullOrWhiteSpace(Label))
        {
            yield return new("lset", LabelSet);
            yield return new("label", Label);
        }
    }

    /// <summary>The fields from URL parameters; values that do not parse are left unset.</summary>
    public static FilterState FromQuery(Func<string, string?> get) => new()
    {
        Folder = get("folder"),
        TakenFrom = DateOnly.TryParseExact(get("from"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f) ? f : null,
        TakenTo = DateOnly.TryParseExact(get("to"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null,
        Formats = [.. (get("fmt") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(KnownFormats.Contains)],
        MinWidth = int.TryParse(get("minw"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) && w > 0 ? w : null,
        MinHeight = int.TryParse(get("minh"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) && h > 0 ? h : null,
        LabelSet = get("lset"),
        Label = get("label"),
    };

    private static string Quote(string value)
    {
        if (value.All(c => !char.IsWhiteSpace(c) && c is not ('"' or '(' or ')' or ',')))
        {
            return value;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c is '"' or '\\' ? "\\" + c : c.ToString());
        }

        return quoted.Append('"').ToString();
    }
}
