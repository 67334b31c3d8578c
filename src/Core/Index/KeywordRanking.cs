namespace ClipSearch.Core.Index;

/// <summary>The order of keyword hits both backends share: most terms matched first, then ascending id, at most a limit.</summary>
public static class KeywordRanking
{
    /// <summary>The distinct terms of <paramref name="query"/>: a term repeated in a hand-built query counts once.</summary>
    public static IReadOnlyList<KeywordTerm> DistinctTerms(KeywordQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Terms.Distinct().ToList();
    }

    /// <summary>
    /// The hits of <paramref name="matched"/> (image id, number of distinct terms it matched) ordered by matches descending, then
    /// by id ascending (<see cref="Guid.CompareTo(Guid)"/>, which is the canonical UUID order the vector search breaks ties by), at most <paramref name="limit"/>;
    /// only those matching at least <paramref name="least"/> terms.
    /// </summary>
    public static IReadOnlyList<KeywordHit> Top(IEnumerable<KeyValuePair<Guid, int>> matched, int limit, int least = 1)
    {
        ArgumentNullException.ThrowIfNull(matched);
        return matched.Where(kv => kv.Value >= Math.Max(1, least))
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key)
            .Take(limit)
            .Select(kv => new KeywordHit(kv.Key, kv.Value))
            .ToList();
    }

    /// <summary>The distinct words keyword search indexes for <paramref name="payload"/>: <see cref="KeywordQuery.Words"/> of its <see cref="ImagePayload.SearchText"/>.</summary>
    public static IReadOnlyList<string> IndexedWords(ImagePayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return KeywordQuery.Words(payload.SearchText()).Distinct(StringComparer.Ordinal).ToList();
    }
}
