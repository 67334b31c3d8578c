using System.Globalization;

namespace ClipSearch.WebUi.State;

/// <summary>One term of a combined query as the UI holds it: a text, an indexed image or an upload, with a weight, towards or away.</summary>
/// <param name="Kind">What <paramref name="Value"/> is.</param>
/// <param name="Value">The text, the image id, or the upload id.</param>
/// <param name="Weight">Greater than 0.</param>
/// <param name="Negative">Move away from it instead of towards it.</param>
/// <param name="Caption">What to show for an image term (its file name); null for texts.</param>
public sealed record SearchTerm(TermKind Kind, string Value, float Weight = 1f, bool Negative = false, string? Caption = null)
{
    /// <summary>The URL form: "t:1.5:beach", "i:1:ID~name", "u:1:UPLOAD~name".</summary>
    public string ToToken()
    {
        var kind = Kind switch { TermKind.Text => "t", TermKind.Image => "i", _ => "u" };
        var caption = Caption is null ? "" : "~" + Caption;
        return $"{kind}:{Weight.ToString("0.###", CultureInfo.InvariantCulture)}:{Value}{caption}";
    }

    /// <summary>Reads the URL form back; null for anything malformed (a hand-edited URL is ignored, not fatal).</summary>
    public static SearchTerm? FromToken(string token, bool negative)
    {
        var parts = token.Split(':', 3);
        if (parts.Length != 3 || !float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || !float.IsFinite(weight) || weight <= 0
            || parts[2].Length == 0)
        {
            return null;
        }

        TermKind? kind = parts[0] switch { "t" => TermKind.Text, "i" => TermKind.Image, "u" => TermKind.Upload, _ => null };
        if (kind is null)
        {
            return null;
        }

        var value = parts[2];
        string? caption = null;
        if (kind != TermKind.Text && value.IndexOf('~', StringComparison.Ordinal) is var tilde and >= 0)
        {
            caption = value[(tilde + 1)..];
            value = value[..tilde];
        }

        return new SearchTerm(kind.Value, value, weight, negative, caption);
    }

    public SearchApi.Contracts.QueryTerm ToContract() => Kind switch
    {
        TermKind.Text => new() { Text = Value, Weight = Weight },
        TermKind.Image => new() { ImageId = Value, Weight = Weight },
        _ => new() { UploadId = Value, Weight = Weight },
    };
}
