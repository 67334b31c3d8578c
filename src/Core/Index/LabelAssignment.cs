using System.Text.Json.Serialization;

namespace ClipSearch.Core.Index;

/// <summary>The label a categorization run gave one image within a label set.</summary>
/// <param name="Label">The winning label ("" for "none of these").</param>
/// <param name="Score">Cosine similarity of the image to the label's prompt embedding.</param>
/// <param name="RunId">The categorization run that wrote it.</param>
/// <param name="RunnerUp">The second-best label, when there was one.</param>
/// <param name="RunnerUpScore">Its cosine similarity.</param>
/// <param name="Also">
/// A multi-label run's further labels that passed the thresholds on their own, best first (not <paramref name="Label"/>);
/// null for a single-label run.
/// </param>
public sealed record LabelAssignment(string Label, float Score, string RunId, string? RunnerUp = null, float? RunnerUpScore = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ScoredLabel>? Also = null)
{
    /// <summary>Every label the image was given, with its cosine similarity: <see cref="Label"/> first, then <see cref="Also"/>.</summary>
    public IEnumerable<ScoredLabel> Assigned()
    {
        yield return new ScoredLabel(Label, Score);
        foreach (var also in Also ?? [])
        {
            yield return also;
        }
    }

    public bool Equals(LabelAssignment? other) =>
        other is not null && Label == other.Label && Score.Equals(other.Score) && RunId == other.RunId && RunnerUp == other.RunnerUp
        && Nullable.Equals(RunnerUpScore, other.RunnerUpScore) && (Also ?? []).SequenceEqual(other.Also ?? []);

    public override int GetHashCode() => HashCode.Combine(Label, Score, RunId, RunnerUp, RunnerUpScore, Also?.Count ?? -1);
}

/// <summary>A label with its cosine similarity to the image.</summary>
public sealed record ScoredLabel(string Label, float Score);
