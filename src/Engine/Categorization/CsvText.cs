namespace ClipSearch.Engine.Categorization;

/// <summary>CSV output helpers.</summary>
public static class CsvText
{
    /// <summary>A field, quoted (RFC 4180) when it holds a comma, quote or line break.</summary>
    public static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
