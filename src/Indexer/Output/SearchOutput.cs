using System.Text.Json.Serialization;

namespace ClipSearch.Indexer.Output;

/// <summary>
/// <c>clipsearch search --json</c>: the hits in the order asked for; with a cut-off, how many results it kept, how many weaker
/// ones lie under it, the score it fell at and the method (written only when there was a cut).
/// </summary>
internal sealed record SearchOutput(IReadOnlyList<ScoredImageOutput> Hits,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Matches = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] long Weaker = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? CutoffScore = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CutoffMethod = null);
