using ClipSearch.Core.Index;

namespace ClipSearch.Engine.Search;

/// <summary>One page of a search's matches.</summary>
/// <param name="Hits">The page.</param>
/// <param name="Matches">How many results the cut kept over all pages; null when nothing was cut.</param>
/// <param name="Weaker">How many further results the filter admits under the cut.</param>
/// <param name="CutoffScore">The lowest score kept, when there was a cut.</param>
/// <param name="CutoffMethod">"jump", "relative", "calibrated" or "min-score" when a cut was made; null otherwise.</param>
public sealed record ResultPage(IReadOnlyList<ResultHit> Hits, int? Matches, long Weaker, float? CutoffScore, string? CutoffMethod);

/// <summary>A result: the image, its cosine similarity to the query, and in a hybrid search which rankings found it.</summary>
public sealed record ResultHit(SearchHit Hit, MatchedBy? MatchedBy);

/// <summary>Which rankings of a hybrid search found a result.</summary>
public enum MatchedBy
{
    Meaning,
    Words,
    Both,
}
