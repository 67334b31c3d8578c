using System.Globalization;
using ClipSearch.Core.Index;
using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;

namespace ClipSearch.Storage.Qdrant;

/// <summary>
/// Our payload as Qdrant payload. Dates are RFC 3339 strings (Qdrant's datetime index parses them);
/// "folders" lists every ancestor folder so that a folder filter is one keyword match; labels are one
/// nested object per label set: labels.{set}.{label, score, run_id, runner_up, runner_up_score}; "words" and
/// "word_prefixes" are the keyword search's (<see cref="QdrantKeywords"/>).
/// </summary>
internal static class QdrantPayloads
{
    public const string Path = "path";
    public const string Root = "root";
    public const string Folders = "folders";
    public const string Size = "size";
    public const string ModifiedAt = "modified_at";
    public const string ContentHash = "content_hash";
    public const string Width = "width";
    public const string Height = "height";
    public const string Format = "format";
    public const string TakenAt = "taken_at";
    public const string Labels = "labels";
    public const string Text = "text";

    /// <summary>Payload fields with an index, and their types (every field a filter can use).</summary>
    public static readonly IReadOnlyList<(string Field, PayloadSchemaType Type)> Indexed =
    [
        (Folders, PayloadSchemaType.Keyword), (Format, PayloadSchemaType.Keyword), (Width, PayloadSchemaType.Integer),
        (Height, PayloadSchemaType.Integer), (Size, PayloadSchemaType.Integer), (ModifiedAt, PayloadSchemaType.Datetime),
        (TakenAt, PayloadSchemaType.Datetime), .. QdrantKeywords.Indexed,
    ];

    public static string LabelKey(string labelSet, string field) => $"{Labels}.{labelSet}.{field}";

    /// <summary>The field of a label set holding a multi-label run's further labels (an array of {label, score}).</summary>
    public const string AlsoField = "also";

    public static Dictionary<string, Value> ToQdrant(ImagePayload p)
    {
        var folders = new ListValue();
        folders.Values.AddRange(p.Folders().Select(f => new Value { StringValue = f }));
        var map = new Dictionary<string, Value>
        {
            [Path] = p.Path,
            [Root] = p.Root,
            [Folders] = new Value { ListValue = folders },
            [Size] = p.SizeBytes,
            [ModifiedAt] = Date(p.ModifiedAt.UtcDateTime),
            [Width] = p.Width,
            [Height] = p.Height,
            [Labels] = LabelsValue(p.Labels),
        };
        foreach (var (field, value) in QdrantKeywords.Fields(p))
        {
            map[field] = value;
        }

        if (p.ContentHash is not null)
        {
            map[ContentHash] = p.ContentHash;
        }

        if (p.Format is not null)
        {
            map[Format] = p.Format;
        }

        if (p.TakenAt is { } taken)
        {
            map[TakenAt] = Date(DateTime.SpecifyKind(taken, DateTimeKind.Utc));
        }

        if (p.Text is { } text)
        {
            map[Text] = TextValue(text);
        }

        return map;
    }

    public static Value LabelValue(LabelAssignment a)
    {
        var s = new Struct();
        s.Fields["label"] = a.Label;
        s.Fields["score"] = (double)a.Score;
        s.Fields["run_id"] = a.RunId;
        if (a.RunnerUp is not null)
        {
            s.Fields["runner_up"] = a.RunnerUp;
        }

        if (a.RunnerUpScore is { } r)
        {
            s.Fields["runner_up_score"] = (double)r;
        }

        if (a.Also is { } also)
        {
            // A multi-label run's further labels: an array of {label, score} objects, which a nested filter matches one by one.
            var list = new ListValue();
            foreach (var l in also)
            {
                var item = new Struct();
                item.Fields["label"] = l.Label;
                item.Fields["score"] = (double)l.Score;
                list.Values.Add(new Value { StructValue = item });
            }

            s.Fields[AlsoField] = new Value { ListValue = list };
        }

        return new Value { StructValue = s };
    }

    public static ImagePayload FromQdrant(MapField<string, Value> map)
    {
        string? Str(string key) => map.TryGetValue(key, out var v) && v.KindCase == Value.KindOneofCase.StringValue ? v.StringValue : null;
        long Int(string key) => map.TryGetValue(key, out var v) ? v.KindCase == Value.KindOneofCase.IntegerValue ? v.IntegerValue : (long)v.DoubleValue : 0;
        return new ImagePayload
        {
            Path = Str(Path) ?? string.Empty,
            Root = Str(Root) ?? string.Empty,
            SizeBytes = Int(Size),
            ModifiedAt = Str(ModifiedAt) is { } m ? new DateTimeOffset(ParseDate(m), TimeSpan.Zero) : default,
            ContentHash = Str(ContentHash),
            Width = (int)Int(Width),
            Height = (int)Int(Height),
            Format = Str(Format),
            TakenAt = Str(TakenAt) is { } t ? DateTime.SpecifyKind(ParseDate(t), DateTimeKind.Unspecified) : null,
            Text = map.TryGetValue(Text, out var text) && text.KindCase == Value.KindOneofCase.StructValue ? ReadText(text.StructValue) : null,
            Labels = map.TryGetValue(Labels, out var labels) && labels.KindCase == Value.KindOneofCase.StructValue
                ? labels.StructValue.Fields.ToDictionary(kv => kv.Key, kv => ReadLabel(kv.Value.StructValue))
                : ImagePayload.NoLabels,
        };
    }

    private static LabelAssignment ReadLabel(Struct s)
    {
        string? Str(string key) => s.Fields.TryGetValue(key, out var v) && v.KindCase == Value.KindOneofCase.StringValue ? v.StringValue : null;
        float? Num(string key) => s.Fields.TryGetValue(key, out var v) && v.KindCase == Value.KindOneofCase.DoubleValue ? (float)v.DoubleValue : null;
        var also = s.Fields.TryGetValue(AlsoField, out var list) && list.KindCase == Value.KindOneofCase.ListValue
            ? list.ListValue.Values.Where(v => v.KindCase == Value.KindOneofCase.StructValue).Select(v => ReadScoredLabel(v.StructValue)).ToArray()
            : null;
        return new LabelAssignment(Str("label") ?? string.Empty, Num("score") ?? 0f, Str("run_id") ?? string.Empty, Str("runner_up"), Num("runner_up_score"), also);
    }

    /// <summary>The file's metadata text: text.{make, model, title, description} when present, and text.keywords (an array).</summary>
    private static Value TextValue(ImageText text)
    {
        var s = new Struct();
        foreach (var (key, value) in new[] { ("make", text.Make), ("model", text.Model), ("title", text.Title), ("description", text.Description) })
        {
            if (value is not null)
            {
                s.Fields[key] = value;
            }
        }

        var keywords = new ListValue();
        keywords.Values.AddRange(text.Keywords.Select(k => new Value { StringValue = k }));
        s.Fields["keywords"] = new Value { ListValue = keywords };
        return new Value { StructValue = s };
    }

    private static ImageText ReadText(Struct s)
    {
        string? Str(string key) => s.Fields.TryGetValue(key, out var v) && v.KindCase == Value.KindOneofCase.StringValue ? v.StringValue : null;
        return new ImageText
        {
            Make = Str("make"),
            Model = Str("model"),
            Title = Str("title"),
            Description = Str("description"),
            Keywords = s.Fields.TryGetValue("keywords", out var list) && list.KindCase == Value.KindOneofCase.ListValue
                ? list.ListValue.Values.Where(v => v.KindCase == Value.KindOneofCase.StringValue).Select(v => v.StringValue).ToList()
                : [],
        };
    }

    private static ScoredLabel ReadScoredLabel(Struct s)
    {
        var label = s.Fields.TryGetValue("label", out var l) && l.KindCase == Value.KindOneofCase.StringValue ? l.StringValue : string.Empty;
        var score = s.Fields.TryGetValue("score", out var v) && v.KindCase == Value.KindOneofCase.DoubleValue ? (float)v.DoubleValue : 0f;
        return new ScoredLabel(label, score);
    }

    private static Value LabelsValue(IReadOnlyDictionary<string, LabelAssignment> labels)
    {
        var s = new Struct();
        foreach (var (set, a) in labels)
        {
            s.Fields[set] = LabelValue(a);
        }

        return new Value { StructValue = s };
    }

    /// <summary>RFC 3339 with 7 fractional digits: round-trips .NET ticks exactly.</summary>
    private static Value Date(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTime ParseDate(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
