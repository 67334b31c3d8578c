using System.Numerics.Tensors;
using ClipSearch.Core.Index;
using ClipSearch.Core.Ranking;

namespace ClipSearch.Engine.Search;

/// <summary>
/// A search as the front ends run it (CLI, Search API, eval): the semantic results cut where the matches end
/// (<see cref="Cutoffs"/>), fused with the keyword matches of a text query - the images whose text holds every word of
/// it, as a keyword search engine matches (<see cref="RankFusion"/>), re-ranked for
/// diversity (<see cref="Diversity"/>) or ordered by date or name, then paged. The same query gives the same list every
/// time, so pages never overlap or skip. Without a cut, sort, diversity or words it is the plain nearest-neighbour search.
/// </summary>
public static class ResultSearch
{
    /// <summary>Keyword matches fused at most (the best-matching first).</summary>
    public const int KeywordLimit = 500;

    /// <summary>Candidates maximal marginal relevance chooses among; further results follow in their order.</summary>
    public const int DiversityPool = 1000;

    /// <summary>
    /// Semantic results a hybrid search without a cut fuses with the keyword matches, whatever the page: the fused order of
    /// the first this many results does not depend on how deep the page asked for is, so pages never overlap.
    /// </summary>
    public const int FusionDepth = 1000;

    /// <summary>
    /// One page of <paramref name="query"/>'s matches. <paramref name="calibration"/> gives the collection's calibrated threshold
    /// (asked for only by <see cref="CutoffMethod.Calibrated"/>).
    /// </summary>
    public static async Task<ResultPage> SearchAsync(IVectorCollection collection, ResultQuery query, Func<CancellationToken, Task<float>>? calibration = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(query);
        var terms = query.Mode != SearchMode.Semantic && query.Text is { } text ? KeywordQuery.Parse(text) : [];
        if (query.Mode == SearchMode.Keyword && (terms.Count == 0 || collection is not IKeywordSearchable))
        {
            throw new VectorStoreException(VectorStoreErrorKind.InvalidRequest, collection is IKeywordSearchable
                ? "a keyword search needs at least one word worth matching (not only 'a', 'the', 'of', ...)."
                : $"collection '{collection.Name}' has no keyword index.");
        }

        // The keyword matches first (the images holding every word): a query that has none is a semantic search, at its cost.
        var keywords = collection is IKeywordSearchable ? terms : [];
        var words = keywords.Count == 0 ? [] : (await ((IKeywordSearchable)collection)
            .KeywordSearchAsync(new KeywordQuery(keywords, query.Filter, KeywordLimit, All: true), cancellationToken).ConfigureAwait(false))
            .Where(w => w.Id != query.Exclude).Select(w => w.Id).ToList();
        var fused = words.Count > 0 || query.Mode == SearchMode.Keyword;
        var cutoff = query.Cutoff;
        if (cutoff == CutoffMethod.None && query.MinScore is null && query.Order == ResultOrder.Score && query.Diversity <= 0 && !fused)
        {
            var plain = await CollectionSearch.SearchAsync(collection, new VectorQuery(query.Vector, query.K, query.Offset, query.Filter), query.Exclude,
                cancellationToken).ConfigureAwait(false);
            return new ResultPage([.. plain.Select(h => new ResultHit(h, null))], null, 0, null, null);
        }

        var need = query.Offset + query.K;
        var semantic = query.Mode == SearchMode.Keyword
            ? new SemanticMatches([], true, null, null)
            : await SemanticAsync(collection, query, cutoff, fused ? Math.Max(need, FusionDepth) : need, calibration, cancellationToken).ConfigureAwait(false);
        var results = fused
            ? await FuseAsync(collection, query, semantic.Hits, words, cancellationToken).ConfigureAwait(false)
            : [.. semantic.Hits.Select(h => (h, (MatchedBy?)null, (double)h.Score))];
        if (query.MinScore is { } least)
        {
            results.RemoveAll(r => r.Hit.Score < least); // a fixed threshold holds for the keyword matches too
        }
        var ordered = await OrderAsync(collection, query, results, need, cancellationToken).ConfigureAwait(false);
        int? matches = semantic.Cut ? ordered.Count : null;
        var weaker = semantic.Cut ? Math.Max(0, await TotalAsync(collection, query, cancellationToken).ConfigureAwait(false) - ordered.Count) : 0;
        var method = query.Mode == SearchMode.Keyword ? "keyword" : semantic.Method;
        return new ResultPage([.. ordered.Skip(query.Offset).Take(query.K)], matches, weaker, semantic.CutScore, method);
    }

    // The semantic results: when Cut, exactly the matches (those above the cut); otherwise the best `need` (or more for
    // sorting and diversity), nothing having been cut.
    private sealed record SemanticMatches(IReadOnlyList<SearchHit> Hits, bool Cut, float? CutScore, string? Method);

    private static async Task<SemanticMatches> SemanticAsync(IVectorCollection collection, ResultQuery query, CutoffMethod cutoff, int need,
        Func<CancellationToken, Task<float>>? calibration, CancellationToken cancellationToken)
    {
        Task<IReadOnlyList<SearchHit>> Read(int k, float? minScore = null) =>
            CollectionSearch.SearchAsync(collection, new VectorQuery(query.Vector, Math.Min(k, VectorQuery.MaxK), 0, query.Filter, minScore), query.Exclude,
                cancellationToken);

        async Task<SemanticMatches> Above(float threshold, string method)
        {
            var hits = await Read(VectorQuery.MaxK, threshold).ConfigureAwait(false);
            return new SemanticMatches(hits, true, threshold, method);
        }

        if (query.MinScore is { } min)
        {
            return await Above(min, "min-score").ConfigureAwait(false);
        }

        switch (cutoff)
        {
            case CutoffMethod.Calibrated:
                var threshold = calibration is null
                    ? throw new InvalidOperationException("a calibrated cut-off needs the collection's calibration")
                    : await calibration(cancellationToken).ConfigureAwait(false);
                return await Above(threshold, "calibrated").ConfigureAwait(false);
            case CutoffMethod.Relative:
                var leading = await Read(Cutoffs.JumpWindow).ConfigureAwait(false);
                return leading.Count == 0 ? new SemanticMatches([], true, null, "relative")
                    : await Above(Cutoffs.RelativeThreshold([.. leading.Select(h => h.Score)]), "relative").ConfigureAwait(false);
            case CutoffMethod.Jump:
                var window = await Read(Cutoffs.JumpWindow + 1).ConfigureAwait(false);
                var scores = window.Select(h => h.Score).ToArray();
                var keep = Cutoffs.AtFirstJump(scores.AsSpan(0, Math.Min(scores.Length, Cutoffs.JumpWindow)));
                if (keep < Math.Min(scores.Length, Cutoffs.JumpWindow))
                {
                    return new SemanticMatches([.. window.Take(keep)], true, window[keep - 1].Score, "jump");
                }

                break; // no jump: nothing is cut
        }

        var wanted = query.Order != ResultOrder.Score ? VectorQuery.MaxK : query.Diversity > 0 ? Math.Max(need, DiversityPool) : need;
        return new SemanticMatches(await Read(wanted).ConfigureAwait(false), false, null, null);
    }

    // The semantic hits fused with the keyword matches (ids best first), each with its fused score; the keyword-only ones are
    // read from the index and scored against the query vector.
    private static async Task<List<(SearchHit Hit, MatchedBy? By, double Rank)>> FuseAsync(IVectorCollection collection, ResultQuery query,
        IReadOnlyList<SearchHit> semantic, IReadOnlyList<Guid> words, CancellationToken cancellationToken)
    {
        var byId = semantic.ToDictionary(h => h.Id);
        var combined = new List<(SearchHit, MatchedBy?, double)>();
        foreach (var fused in RankFusion.Fuse([.. semantic.Select(h => h.Id)], words))
        {
            var by = fused.KeywordRank is null ? MatchedBy.Meaning : fused.SemanticRank is null ? MatchedBy.Words : MatchedBy.Both;
            if (byId.TryGetValue(fused.Id, out var hit))
            {
                combined.Add((hit, by, fused.Score));
            }
            else if (await collection.GetAsync(fused.Id, withVector: true, cancellationToken).ConfigureAwait(false) is { Vector: { } vector } point)
            {
                combined.Add((new SearchHit(point.Id, TensorPrimitives.Dot(vector, query.Vector), point.Payload), by, fused.Score));
            }
        }

        return combined;
    }

    private static async Task<List<ResultHit>> OrderAsync(IVectorCollection collection, ResultQuery query, List<(SearchHit Hit, MatchedBy? By, double Rank)> results,
        int need, CancellationToken cancellationToken)
    {
        IEnumerable<(SearchHit Hit, MatchedBy? By, double Rank)> ordered = query.Order switch
        {
            ResultOrder.Taken => results.OrderBy(r => r.Hit.Payload.TakenAt is null).ThenByDescending(r => r.Hit.Payload.TakenAt)
                .ThenByDescending(r => r.Hit.Payload.ModifiedAt).ThenBy(r => r.Hit.Id),
            ResultOrder.Modified => results.OrderByDescending(r => r.Hit.Payload.ModifiedAt).ThenBy(r => r.Hit.Id),
            ResultOrder.Name => results.OrderBy(r => r.Hit.Payload.FullPath, StringComparer.Ordinal).ThenBy(r => r.Hit.Id),
            _ => results,
        };
        var list = ordered.Select(r => new ResultHit(r.Hit, r.By)).ToList();
        if (query.Order != ResultOrder.Score || query.Diversity <= 0 || list.Count < 2)
        {
            return list;
        }

        // Diversity: maximal marginal relevance over the leading candidates, relevance being their rank score.
        var pool = Math.Min(list.Count, DiversityPool);
        var vectors = new List<float[]>(pool);
        for (var i = 0; i < pool; i++)
        {
            var point = await collection.GetAsync(list[i].Hit.Id, withVector: true, cancellationToken).ConfigureAwait(false);
            vectors.Add(point?.Vector ?? query.Vector);
        }

        var relevance = results.Take(pool).Select(r => (float)r.Rank).ToList();
        var order = Diversity.Rerank(vectors, relevance, Math.Min(1f, query.Diversity), Math.Min(pool, need));
        return [.. order.Select(i => list[i]), .. list.Skip(pool)];
    }

    // What the filter admits, the excluded image apart.
    private static async Task<long> TotalAsync(IVectorCollection collection, ResultQuery query, CancellationToken cancellationToken)
    {
        var total = await collection.CountAsync(query.Filter, cancellationToken).ConfigureAwait(false);
        if (query.Exclude is { } id && await collection.GetAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false) is { } excluded
            && (query.Filter?.Matches(excluded.Payload) ?? true))
        {
            total--;
        }

        return total;
    }
}
