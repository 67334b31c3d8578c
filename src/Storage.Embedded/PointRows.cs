using System.Runtime.InteropServices;
using System.Text.Json;
using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;

namespace ClipSearch.Storage.Embedded;

/// <summary>How points are laid out in the points table.</summary>
internal static class PointRows
{
    public const string Columns = "id, seq, vector, path, root, size, modified_ticks, content_hash, width, height, format, taken_ticks, labels";

    private static readonly string[] ParameterNames = ["$c", "$id", "$seq", "$v", "$path", "$root", "$size", "$mod", "$hash", "$w", "$h", "$fmt", "$taken", "$labels"];

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

    public static void Bind(SqliteCommand command, string collection, long seq, VectorPoint point)
    {
        var p = point.Payload;
        var values = new object?[]
        {
            collection, IdBytes(point.Id), seq, MemoryMarshal.AsBytes(point.Vector.AsSpan()).ToArray(), p.Path, p.Root, p.SizeBytes,
            p.ModifiedAt.UtcTicks, p.ContentHash, p.Width, p.Height, p.Format, p.TakenAt?.Ticks, SerializeLabels(p.Labels),
        };
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    /// <summary>Reads a row selected with <see cref="Columns"/>.</summary>
    public static (Guid Id, long Seq, float[] Vector, ImagePayload Payload) Read(SqliteDataReader r) =>
        (ReadId(r, 0), r.GetInt64(1), MemoryMarshal.Cast<byte, float>((byte[])r.GetValue(2)).ToArray(), new ImagePayload
        {
            Path = r.GetString(3),
            Root = r.GetString(4),
            SizeBytes = r.GetInt64(5),
            ModifiedAt = new DateTimeOffset(r.GetInt64(6), TimeSpan.Zero),
            ContentHash = r.IsDBNull(7) ? null : r.GetString(7),
            Width = r.GetInt32(8),
            Height = r.GetInt32(9),
            Format = r.IsDBNull(10) ? null : r.GetString(10),
            TakenAt = r.IsDBNull(11) ? null : new DateTime(r.GetInt64(11), DateTimeKind.Unspecified),
            Labels = r.IsDBNull(12) ? new Dictionary<string, LabelAssignment>() : DeserializeLabels(r.GetString(12)),
        });

    public static string? SerializeLabels(IReadOnlyDictionary<string, LabelAssignment> labels) =>
        labels.Count == 0 ? null : JsonSerializer.Serialize(labels, Json);

    public static Dictionary<string, LabelAssignment> DeserializeLabels(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, LabelAssignment>>(json, Json) ?? [];
}
