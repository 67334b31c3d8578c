namespace ClipSearch.SearchApi.Services;

/// <summary>Where a categorization job is: running (or waiting for a slot), or ended one of three ways.</summary>
internal enum CategorizeJobState
{
    Running,
    Completed,
    Failed,
    Cancelled,
}
