using ClipSearch.Core.Index;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace ClipSearch.Storage.Qdrant;

/// <summary>
/// Keyword search on Qdrant: "words" holds an image's words (<see cref="KeywordRanking.IndexedWords"/>) and "word_prefixes"
/// every prefix of each, up to <see cref="MaxPrefix"/> characters; both keyword arrays with a keyword index. A whole term is
/// one keyword match on words, a prefix term one on word_prefixes, so matching is exact string equality on words we
/// normalised, with no server tokenizer in between (a full-text index would fold and split by its own rules). A prefix
/// term longer than <see cref="MaxPrefix"/> matches its first <see cref="MaxPrefix"/> characters there and is checked
/// against the hit's words here.
/// </summary>
internal static class QdrantKeywords
{
    public const string Words = "words";
    public const string WordPrefixes = "word_prefixes";

    /// <summary>The longest prefix stored: a longer prefix term is narrowed down by its first this many characters.</summary>
    public const int MaxPrefix = 16;

    public static readonly IReadOnlyList<(string Field, PayloadSchemaType Type)> Indexed = [(Words, PayloadSchemaType.Keyword), (WordPrefixes, PayloadSchemaType.Keyword)];

    /// <summary>The two payload fields for <paramref name="payload"/>.</summary>
    public static Dictionary<string, Value> Fields(ImagePayload payload)
    {
        var words = KeywordRanking.IndexedWords(payload);
        var prefixes = words.SelectMany(w => Enumerable.Range(1, Math.Min(w.Length, MaxPrefix)).Select(n => w[..n])).Distinct(StringComparer.Ordinal);
        return new Dictionary<string, Value> { [Words] = List(words), [WordPrefixes] = List(prefixes) };
    }

    /// <summary>The condition on the keyword fields that <paramref name="term"/> needs, with <paramref name="filter"/> beside it.</summary>
    public static Filter TermFilter(KeywordTerm term, PointFilter? filter)
    {
        var f = new Filter
        {
            Must = { term.Whole ? MatchKeyword(Words, term.Word) : MatchKeyword(WordPrefixes, term.Word.Length > MaxPrefix ? term.Word[..MaxPrefix] : term.Word) },
        };
        if (filter is not null)
        {
            f.Must.Add(QdrantFilters.ToCondition(filter));
        }

        return f;
    }

    /// <summary>Whether a hit of <see cref="TermFilter"/> must still be checked against its words (a prefix longer than those stored).</summary>
    public static bool NeedsCheck(KeywordTerm term) => !term.Whole && term.Word.Length > MaxPrefix;

    /// <summary>Rewrites the keyword fields of one point (a set_payload of those two keys only).</summary>
    public static PointsUpdateOperation SetOperation(Guid id, ImagePayload payload)
    {
        var set = new PointsUpdateOperation.Types.SetPayload { PointsSelector = new PointsSelector { Points = new PointsIdsList { Ids = { (PointId)id } } } };
        set.Payload.Add(Fields(payload));
        return new PointsUpdateOperation { SetPayload = set };
    }

    /// <summary>The payload fields the keyword fields are made from (what a label write reads back before rewriting them).</summary>
    public static WithPayloadSelector SourceFields() => new() { Include = new PayloadIncludeSelector { Fields = { QdrantPayloads.Path, QdrantPayloads.Root, QdrantPayloads.Text, QdrantPayloads.Labels } } };

    /// <summary>Every payload field but the keyword fields, which only keyword search reads (they are the larger part of a payload).</summary>
    public static WithPayloadSelector PayloadWithoutWords() => new() { Exclude = new PayloadExcludeSelector { Fields = { Words, WordPrefixes } } };

    private static Value List(IEnumerable<string> values)
    {
        var list = new ListValue();
        list.Values.AddRange(values.Select(v => new Value { StringValue = v }));
        return new Value { ListValue = list };
    }
}
