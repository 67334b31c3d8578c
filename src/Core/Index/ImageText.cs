using System.Text;

namespace ClipSearch.Core.Index;

/// <summary>
/// Text an image file carries about itself (EXIF, IPTC, XMP), cleaned and bounded when read: control characters become
/// spaces, runs of white space one space, each field is cut to a maximum length and at most <see cref="MaxKeywords"/>
/// keywords are kept. Keyword search matches it (<see cref="ImagePayload.SearchText"/>).
/// </summary>
public sealed record ImageText
{
    public const int MaxField = 256;
    public const int MaxDescription = 2000;
    public const int MaxKeywords = 50;
    public const int MaxKeyword = 100;

    /// <summary>Camera maker.</summary>
    public string? Make { get; init; }

    /// <summary>Camera model.</summary>
    public string? Model { get; init; }

    public string? Title { get; init; }

    /// <summary>Description or caption.</summary>
    public string? Description { get; init; }

    /// <summary>Keywords and subjects, distinct (ignoring case), in the order first read.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>The text of the given fields, cleaned and bounded; null when none holds any text.</summary>
    public static ImageText? Create(string? make, string? model, string? title, string? description, IEnumerable<string?> keywords)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        var text = new ImageText
        {
            Make = Clean(make, MaxField),
            Model = Clean(model, MaxField),
            Title = Clean(title, MaxField),
            Description = Clean(description, MaxDescription),
            Keywords = keywords.Select(k => Clean(k, MaxKeyword)).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxKeywords).ToList(),
        };
        return text.Parts().Any() ? text : null;
    }

    /// <summary>
    /// <paramref name="text"/> without control characters (nor NULs, which EXIF strings often end with), white space
    /// collapsed and trimmed, at most <paramref name="max"/> characters (a surrogate pair is never cut); null when empty.
    /// </summary>
    public static string? Clean(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var clean = new StringBuilder(Math.Min(text.Length, max));
        var space = false;
        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                space = clean.Length > 0;
                continue;
            }

            if (space)
            {
                clean.Append(' ');
                space = false;
            }

            clean.Append(c);
            if (clean.Length >= max)
            {
                break;
            }
        }

        var length = Math.Min(clean.Length, max);
        if (length > 0 && char.IsHighSurrogate(clean[length - 1]))
        {
            length--;
        }

        return length == 0 ? null : clean.ToString(0, length);
    }

    /// <summary>Every piece of text held, in field order.</summary>
    public IEnumerable<string> Parts() => new[] { Make, Model, Title, Description }.OfType<string>().Concat(Keywords);

    public bool Equals(ImageText? other) =>
        other is not null && Make == other.Make && Model == other.Model && Title == other.Title && Description == other.Description
        && Keywords.SequenceEqual(other.Keywords);

    public override int GetHashCode() => HashCode.Combine(Make, Model, Title, Description, Keywords.Count);
}
