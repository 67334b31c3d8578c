using System.Runtime.InteropServices;
using System.Text.Json;
using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;

namespace ClipSearch.Storage.Embedded;

/// <summary>How points are laid out in the points table (their labels are in point_labels: <see cref="LabelRows"/>; the labels column only ever held schema 2's JSON).</summary>
internal static class PointRows
{
    public const string Columns = "id, key, seq, vector, path, root, size, modified_ticks, content_hash, width, height, format, taken_ticks, text";

    /// <summary><see cref="Columns"/> with the vector only for points changed after $vs (NULL, read as empty, for the others).</summary>
    public const string ColumnsWithVectorAfter = "id, key, seq, CASE WHEN seq > $vs THEN vector END, path, root, size, modified_ticks, content_hash, width, height, format, taken_ticks, text";

    private static readonly string[] ParameterNames = ["$c", "$id", "$key", "$seq", "$v", "$path", "$root", "$size", "$mod", "$hash", "$w", "$h", "$fmt", "$taken", "$text"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>UUIDs are stored big-endian so that blob order is the canonical UUID order.</summary>
    public static byte[] IdBytes(Guid id) => id.ToByteArray(bigEndian: true);

    public static Guid ReadId(SqliteDataReader r, int ordinal) => new((byte[])r.GetValue(ordinal), bigEndian: true);

    public static void AddPointParameters(SqliteCommand command)
    {
        foreach (var name in ParameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
    }

    public static void Bind(SqliteCommand command, string collection, long key, long seq, VectorPoint point)
    {
        var p = point.Payload;
        var values = new object?[]
        {
            collection, IdBytes(point.Id), key, seq, MemoryMarshal.AsBytes(point.Vector.AsSpan()).ToArray(), p.Path, p.Root, p.SizeBytes,
            p.ModifiedAt.UtcTicks, p.ContentHash, p.Width, p.Height, p.Format, p.TakenAt?.Ticks, SerializeText(p.Text),
        };
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    /// <summary>Reads a row selected with <see cref="Columns"/>.</summary>
    public static StoredRow Read(SqliteDataReader r) =>
        new(ReadId(r, 0), r.GetInt64(1), r.GetInt64(2), r.IsDBNull(3) ? [] : MemoryMarshal.Cast<byte, float>((byte[])r.GetValue(3)).ToArray(), new ImagePayload
        {
            Path = r.GetString(4),
            Root = Shared(ref _lastRoot, r.GetString(5)),
            SizeBytes = r.GetInt64(6),
            ModifiedAt = new DateTimeOffset(r.GetInt64(7), TimeSpan.Zero),
            ContentHash = r.IsDBNull(8) ? null : r.GetString(8),
            Width = r.GetInt32(9),
            Height = r.GetInt32(10),
            Format = r.IsDBNull(11) ? null : Shared(ref _lastFormat, r.GetString(11)),
            TakenAt = r.IsDBNull(12) ? null : new DateTime(r.GetInt64(12), DateTimeKind.Unspecified),
            Text = r.IsDBNull(13) ? null : DeserializeText(r.GetString(13)),
        });

    // Rows of one collection nearly all share their root and a handful of formats: the mirror keeps one instance
    // of a run of equal strings instead of one per row (tens of bytes per point, per string).
    [ThreadStatic]
    private static string? _lastRoot;

    [ThreadStatic]
    private static string? _lastFormat;

    private static string Shared(ref string? last, string value)
    {
        if (value == last)
        {
            return last;
        }

        last = value;
        return value;
    }

    public static string? SerializeText(ImageText? text) => text is null ? null : JsonSerializer.Serialize(text, Json);

    public static ImageText? DeserializeText(string json) => JsonSerializer.Deserialize<ImageText>(json, Json);

    /// <summary>Schema 2's labels column (read once, when the store is upgraded).</summary>
    public static Dictionary<string, LabelAssignment> DeserializeLabels(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, LabelAssignment>>(json, Json) ?? [];
}
