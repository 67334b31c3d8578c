namespace ClipSearch.SearchApi.Contracts;

/// <summary>A label set that categorization runs wrote into a collection, with each label and how many images have it.</summary>
/// <param name="Name">The label set, as the filter names it (<c>label:Name=label</c>).</param>
/// <param name="Images">Images with a label of this set ("none of these" included).</param>
/// <param name="Labels">Each label given (a multi-label run's further labels counted too), most images first; Share is of <paramref name="Images"/>.</param>
public sealed record LabelSetSummary(string Name, int Images, IReadOnlyList<LabelCount> Labels);
