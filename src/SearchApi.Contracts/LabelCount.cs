namespace ClipSearch.SearchApi.Contracts;

/// <summary>How many images got a label, and their share of all images categorized.</summary>
public sealed record LabelCount(string Label, int Count, double Share);
