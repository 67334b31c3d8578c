using ClipSearch.Engine.Categorization;

namespace ClipSearch.SearchApi.Services;

/// <summary>A categorization job as it stood at one moment.</summary>
/// <param name="State">Running until it completes, fails or is cancelled.</param>
/// <param name="Summary">The run's summary, once completed.</param>
/// <param name="Done">Images categorized so far.</param>
/// <param name="Total">Images to categorize.</param>
/// <param name="Error">Why it failed or stopped.</param>
/// <param name="Distribution">Images per label so far (all of them once completed; "" counts "none of these").</param>
internal sealed record JobSnapshot(CategorizeJobState State, CategorizeSummary? Summary, int Done, long Total, string? Error, IReadOnlyDictionary<string, int> Distribution);
