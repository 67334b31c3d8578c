using System.Runtime.InteropServices;
using System.Text.Json;
using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;

namespace ClipSearch.Storage.Embedded;

/// <summary>How points are laid out in the points table (their labels are in label_rows: <see cref="LabelRows"/>; the labels column only ever held schema 2's JSON).</summary>
internal static class PointRows
{
    /// <summary>The points row's columns, as written (the vector is in point_vectors: <see cref="VectorCommand"/>).</summary>
    private const string Columns = "id, key, seq, path, root, size, modified_ticks, content_hash, width, height, format, taken_ticks, text";

    public const string UpsertSql = $"INSERT OR REPLACE INTO points(collection, {Columns}) VALUES ($c, $id, $key, $seq, $path, $root, $size, $mod, $hash, $w, $h, $fmt, $taken, $text)";

    /// <summary>Deletes a point's vector row, found by the point's id (so before its points row).</summary>
    public const string VectorDeleteSql = "DELETE FROM point_vectors WHERE collection = $c AND key = (SELECT key FROM points WHERE collection = $c AND id = $id)";

    /// <summary>
    /// The columns <see cref="Read"/> reads from points p: the vector is looked up only for points changed after $vs
    /// (NULL, read as empty, for the others), so a restore from a stamped row file never reads the vectors' table.
    /// </summary>
    public const string ReadColumns = "p.id, p.key, p.seq, CASE WHEN p.seq > $vs THEN (SELECT v.vector FROM point_vectors v WHERE v.collection = p.collection AND v.key = p.key) END, "
        + "p.path, p.root, p.size, p.modified_ticks, p.content_hash, p.width, p.height, p.format, p.taken_ticks, p.text";

    private static readonly string[] ParameterNames = ["$c", "$id", "$key", "$seq", "$path", "$root", "$size", "$mod", "$hash", "$w", "$h", "$fmt", "$taken", "$text"];

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
            collection, IdBytes(point.Id), key, seq, p.Path, p.Root, p.SizeBytes,
            p.ModifiedAt.UtcTicks, p.ContentHash, p.Width, p.Height, p.Format, p.TakenAt?.Ticks, SerializeText(p.Text),
        };
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    /// <summary>An upsert of vector rows: bind it with <see cref="BindVector"/>.</summary>
    public static SqliteCommand VectorCommand(SqliteConnection connection, SqliteTransaction tx)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT OR REPLACE INTO point_vectors(collection, key, vector) VALUES ($c, $key, $v)";
        command.Parameters.Add("$c", SqliteType.Text);
        command.Parameters.Add("$key", SqliteType.Integer);
        command.Parameters.Add("$v", SqliteType.Blob);
        return command;
    }

    public static void BindVector(SqliteCommand command, string collection, long key, float[] vector)
    {
        command.Parameters[0].Value = collection;
        command.Parameters[1].Value = key;
        command.Parameters[2].Value = MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();
    }

    /// <summary>Reads a row selected with <see cref="ReadColumns"/>.</summary>
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
