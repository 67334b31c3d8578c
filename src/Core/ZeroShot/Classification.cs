namespace ClipSearch.Core.ZeroShot;

/// <summary>
/// An image's classification: every label best first, and the decision: the best label, or null
/// ("unlabelled") when the best cosine is under the minimum score or its margin over the runner-up is under the minimum margin.
/// </summary>
public sealed record Classification(IReadOnlyList<LabelScore> Labels, string? Label)
{
    public LabelScore Best => Labels[0];

    public LabelScore? RunnerUp => Labels.Count > 1 ? Labels[1] : null;
}
