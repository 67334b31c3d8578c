using ClipSearch.Core.Index;
using ClipSearch.Engine.Categorization;

namespace ClipSearch.SearchApi.Services;

/// <summary>A started job with what runs it, queued for <see cref="CategorizeJobRunner"/>; dropped once run, so the job keeps only its results.</summary>
internal sealed record CategorizeRun(CategorizeJob Job, Categorizer Categorizer, PointFilter? Filter);
