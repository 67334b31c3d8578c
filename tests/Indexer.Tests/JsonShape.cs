using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClipSearch.Indexer.Tests;

/// <summary>Checks on the CLI's JSON lines: property names in order, compact writing with relaxed escaping, float32 numbers.</summary>
internal static class JsonShape
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Parses one line of output after checking that it is exactly what a compact writer with relaxed escaping
    /// writes for the same value: no indentation, and no \u escapes for non-ASCII text, '+', '&lt;' and the like.
    /// </summary>
    public static JsonElement Parse(string line)
    {
        var root = JsonDocument.Parse(line).RootElement.Clone();
        Assert.Equal(Rewrite(root), line);
        return root;
    }

    /// <summary>The one line of <paramref name="stdout"/>, parsed with <see cref="Parse"/>.</summary>
    public static JsonElement Single(string stdout) => Parse(Assert.Single(CliRunner.Lines(stdout)));

    /// <summary>Every stdout line parsed with <see cref="Parse"/>.</summary>
    public static List<JsonElement> Lines(string stdout) => [.. CliRunner.Lines(stdout).Select(Parse)];

    public static void AssertNames(JsonElement value, params string[] expected) => Assert.Equal(expected, value.EnumerateObject().Select(p => p.Name));

    /// <summary>A number as rounded with Math.Round(x, 6): at most six decimals.</summary>
    public static void AssertRounded6(JsonElement number) => Assert.Equal(Math.Round(number.GetDouble(), 6), number.GetDouble());

    /// <summary>A float32 written as such (at most 9 significant digits), not widened to a double's 17.</summary>
    public static void AssertFloat32(JsonElement number)
    {
        var raw = number.GetRawText().TrimStart('-');
        var mantissa = raw.Split('E', 'e')[0].Replace(".", "", StringComparison.Ordinal).TrimStart('0');
        Assert.True(mantissa.Length <= 9, $"{raw} has more digits than a float32");
    }

    private static string Rewrite(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Relaxed))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
