using ClipSearch.Indexing;

namespace ClipSearch.SearchApi.Services;

/// <summary>A categorization job as it stood at one moment.</summary>
internal sealed record JobSnapshot(string State, CategorizeSummary? Summary, int Done, long Total, string? Error);
