using System.Globalization;
using System.Text;

namespace ClipSearch.Core.Index;

/// <summary>
/// A keyword search: the words of a query, each matched against the words of an image's text (file name, folder names,
/// camera and caption metadata, label names). An unquoted word of four or more letters matches as the start of a word
/// ("beach" finds "Beaches"); a shorter one, and every word inside double quotes, matches whole words only. Words are
/// compared lower-cased and without diacritics ("été" = "ete"), split on anything that is not a letter or a digit.
/// A few English filler words ("a", "the", "of", ...) are dropped unless quoted.
/// </summary>
/// <param name="Terms">The distinct terms, in query order.</param>
/// <param name="Filter">Only images matching this filter.</param>
/// <param name="Limit">At most this many hits (1 to <see cref="VectorQuery.MaxK"/>).</param>
/// <param name="All">Only the images matching every term (as a keyword search engine matches; the hits then all have
/// <see cref="KeywordHit.Matched"/> = the number of terms), which a store can answer without collecting partial matches.</param>
public sealed record KeywordQuery(IReadOnlyList<KeywordTerm> Terms, PointFilter? Filter = null, int Limit = 1000, bool All = false)
{
    /// <summary>Words a search for meaning is full of and a file name says nothing by.</summary>
    public static IReadOnlySet<string> Fillers { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "in", "on", "at", "to", "with", "and", "or", "for", "is", "are", "by", "from", "some",
    };

    /// <summary>The terms of <paramref name="text"/> (see the type's summary); none when it has no word worth matching.</summary>
    public static IReadOnlyList<KeywordTerm> Parse(string? text)
    {
        var terms = new List<KeywordTerm>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return terms;
        }

        var quoted = false;
        foreach (var part in text.Split('"'))
        {
            foreach (var word in Words(part))
            {
                var term = new KeywordTerm(word, Whole: quoted || word.Length < 4);
                if ((quoted || !Fillers.Contains(word)) && !terms.Contains(term))
                {
                    terms.Add(term);
                }
            }

            quoted = !quoted;
        }

        return terms;
    }

    /// <summary>
    /// The words of <paramref name="text"/> as both backends index and match them: runs of letters and digits, lower-cased
    /// (invariant culture), diacritics removed.
    /// </summary>
    public static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    /// <summary>Whether <paramref name="term"/> matches one of <paramref name="words"/> (each already from <see cref="Words"/>).</summary>
    public static bool Matches(KeywordTerm term, IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(term);
        ArgumentNullException.ThrowIfNull(words);
        return words.Any(w => term.Whole ? w == term.Word : w.StartsWith(term.Word, StringComparison.Ordinal));
    }
}

/// <summary>One word of a keyword query: matched as a whole word, or as the start of one.</summary>
public sealed record KeywordTerm(string Word, bool Whole);

/// <summary>An image a keyword query found, with how many of its terms the image's text matched.</summary>
public sealed record KeywordHit(Guid Id, int Matched);

/// <summary>
/// A collection that also answers keyword queries over each image's text (<see cref="ImagePayload.SearchText"/>), kept in
/// step with every write (upserts, deletes, label writes).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "'Collection' is the domain term.")]
public interface IKeywordSearchable
{
    /// <summary>
    /// The images matching at least one term of <paramref name="query"/> (and its filter), most terms matched first, then
    /// ascending id; at most <see cref="KeywordQuery.Limit"/>. Both backends return the same hits in the same order.
    /// </summary>
    Task<IReadOnlyList<KeywordHit>> KeywordSearchAsync(KeywordQuery query, CancellationToken cancellationToken = default);
}
