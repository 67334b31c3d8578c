using ClipSearch.Core.Index;
using ClipSearch.Core.Ranking;

namespace ClipSearch.Engine.Search;

/// <summary>
/// A search as a person means it: the query vector (and, for a text query, its words), where the matches end, their order,
/// how diverse the first results should be, and which page.
/// </summary>
/// <param name="Vector">The query embedding (unit length).</param>
/// <param name="K">Results per page.</param>
/// <param name="Offset">Results to skip (paging).</param>
/// <param name="Filter">Only images matching it.</param>
/// <param name="MinScore">A fixed threshold (cosine); overrides <paramref name="Cutoff"/>.</param>
/// <param name="Cutoff">How the matches are told from the weaker results.</param>
/// <param name="Order">The order of the matches.</param>
/// <param name="Diversity">0 to 1: maximal marginal relevance weight (0: none).</param>
/// <param name="Text">The query's words, for keyword matching (null for an image query).</param>
/// <param name="Mode">Meaning, words or both.</param>
/// <param name="Exclude">An image left out of every page (the query image of "more like this").</param>
public sealed record ResultQuery(float[] Vector, int K, int Offset = 0, PointFilter? Filter = null, float? MinScore = null,
    CutoffMethod Cutoff = CutoffMethod.None, ResultOrder Order = ResultOrder.Score, float Diversity = 0f, string? Text = null,
    SearchMode Mode = SearchMode.Hybrid, Guid? Exclude = null);

/// <summary>The order of the matches of a search.</summary>
public enum ResultOrder
{
    /// <summary>Best first (the fused rank in a hybrid search).</summary>
    Score,

    /// <summary>Date taken, newest first; images without one last (by date modified).</summary>
    Taken,

    /// <summary>File modification time, newest first.</summary>
    Modified,

    /// <summary>Full path, A to Z (ordinal).</summary>
    Name,
}

/// <summary>What a text query is matched by.</summary>
public enum SearchMode
{
    /// <summary>Meaning and words, the two rankings fused.</summary>
    Hybrid,

    /// <summary>Meaning only (the embedding).</summary>
    Semantic,

    /// <summary>Words only (file and folder names, metadata, labels).</summary>
    Keyword,
}
