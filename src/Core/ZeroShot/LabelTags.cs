using ClipSearch.Core.Index;

namespace ClipSearch.Core.ZeroShot;

/// <summary>One image's labelling: the best two labels and, for a multi-label run, the further labels that passed on their own (best first).</summary>
/// <param name="Top">The best label, the runner-up and whether the best passed.</param>
/// <param name="Also">The further labels of a multi-label run (empty when none passed); null for a single-label run.</param>
public readonly record struct LabelTags(TopTwo Top, ScoredLabel[]? Also);
