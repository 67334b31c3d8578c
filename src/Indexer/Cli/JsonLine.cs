using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClipSearch.Indexer.Cli;

/// <summary>Writes one compact JSON object as a line of text (JSON Lines).</summary>
internal static class JsonLine
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(Action<Utf8JsonWriter> body) => Value(writer =>
    {
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
    });

    /// <summary>One compact JSON value of any kind (an array, say) written by <paramref name="body"/>.</summary>
    public static string Value(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            body(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
