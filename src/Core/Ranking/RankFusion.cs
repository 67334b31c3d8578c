namespace ClipSearch.Core.Ranking;

/// <summary>
/// Reciprocal-rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): an item's fused score is the sum over the rankings
/// that hold it of weight / (<see cref="K"/> + rank), rank from 1. It needs no common scale between a cosine similarity and a
/// keyword match count, and an item near the top of either ranking rises.
/// </summary>
public static class RankFusion
{
    /// <summary>The constant of the original paper: it damps the weight of the very first ranks.</summary>
    public const int K = 60;

    /// <summary>The weight of the keyword ranking against the semantic one (1: equal say).</summary>
    public const float KeywordWeight = 1f;

    /// <summary>
    /// <paramref name="semantic"/> and <paramref name="keyword"/> (ids best first) fused, best first; ties keep the semantic order,
    /// then the keyword order.
    /// </summary>
    public static IReadOnlyList<Fused> Fuse(IReadOnlyList<Guid> semantic, IReadOnlyList<Guid> keyword, float keywordWeight = KeywordWeight)
    {
        ArgumentNullException.ThrowIfNull(semantic);
        ArgumentNullException.ThrowIfNull(keyword);
        var items = new Dictionary<Guid, Fused>();
        for (var i = 0; i < semantic.Count; i++)
        {
            items.TryAdd(semantic[i], new Fused(semantic[i], 1.0 / (K + i + 1), i, null));
        }

        for (var i = 0; i < keyword.Count; i++)
        {
            var add = keywordWeight / (K + i + 1.0);
            items[keyword[i]] = items.TryGetValue(keyword[i], out var f) ? f with { Score = f.Score + add, KeywordRank = i } : new Fused(keyword[i], add, null, i);
        }

        return [.. items.Values
            .OrderByDescending(f => f.Score)
            .ThenBy(f => f.SemanticRank ?? int.MaxValue)
            .ThenBy(f => f.KeywordRank ?? int.MaxValue)];
    }
}

/// <summary>An item of a fused ranking: its fused score and its rank (from 0) in each ranking that holds it.</summary>
public sealed record Fused(Guid Id, double Score, int? SemanticRank, int? KeywordRank);
