namespace ClipSearch.Core.Ranking;

/// <summary>How the results a query really matches are told from the weaker ones (see <see cref="Cutoffs"/>).</summary>
public enum CutoffMethod
{
    /// <summary>No cut: every result.</summary>
    None,

    /// <summary>At the first large drop in score (as Weaviate's autocut).</summary>
    Jump,

    /// <summary>Within a margin of the best score.</summary>
    Relative,

    /// <summary>Above the scores that unrelated queries reach in this collection with this model.</summary>
    Calibrated,
}
