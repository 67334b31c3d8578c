namespace ClipSearch.SearchApi.Contracts;

/// <summary>A categorization job.</summary>
/// <param name="Id">Job id.</param>
/// <param name="Collection">The collection categorized.</param>
/// <param name="LabelSet">The label set the labels go to.</param>
/// <param name="Labels">The labels, as given.</param>
/// <param name="State">running, completed, failed or cancelled.</param>
/// <param name="Done">Images categorized so far.</param>
/// <param name="Total">Images to categorize.</param>
/// <param name="Distribution">Images per label, most first; the label "" counts "none of these".</param>
/// <param name="Applied">Whether the labels are written to the index.</param>
/// <param name="RunId">Id of the run, written with every label (set once completed).</param>
/// <param name="ElapsedSeconds">Time the job took (set once completed).</param>
/// <param name="Error">Why the job failed or stopped.</param>
/// <param name="MultiLabel">Whether an image gets every label that passes (then counted under each: shares add up to more than 1).</param>
public sealed record CategorizeStatus(string Id, string Collection, string LabelSet, IReadOnlyList<string> Labels, bool Applied, string State, int Done, long Total,
    IReadOnlyList<LabelCount> Distribution, string? RunId, double? ElapsedSeconds, string? Error, bool MultiLabel = false);
