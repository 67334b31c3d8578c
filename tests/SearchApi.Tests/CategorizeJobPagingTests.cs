using ClipSearch.Engine.Categorization;
using ClipSearch.SearchApi.Services;

namespace ClipSearch.SearchApi.Tests;

/// <summary>A job's gallery pages: the same order while running (sorted per request) and once finished (sorted once).</summary>
public sealed class CategorizeJobPagingTests
{
    [Fact]
    public void Page_RunningAndFinished_SameOrderByScoreThenId_PerLabelAndAll()
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 500).Select(i => new Categorized(
            new Guid(i, 0, 0, new byte[8]), $"p{i}.jpg", i % 3 == 0 ? "cat" : i % 3 == 1 ? "dog" : "",
            MathF.Round((float)random.NextDouble(), 1), null, null)).ToList(); // rounded: many ties, broken by id
        var job = new CategorizeJob("j", "c", "set", ["cat", "dog"], apply: false);
        rows.ForEach(job.Add);

        List<Categorized> Expected(string? label) => [.. rows.Where(r => label is null || r.Label == label).OrderByDescending(r => r.Score).ThenBy(r => r.Id)];
        var running = new[] { "cat", "dog", "", null }.ToDictionary(l => l ?? "(all)", l => job.Page(l, 0, 1000).ToList());
        job.Complete(new CategorizeSummary("set", "run", rows.Count, 0, new Dictionary<string, int>(), 0.1));
        foreach (var label in new[] { "cat", "dog", "", null })
        {
            var expected = Expected(label);
            Assert.Equal(expected, running[label ?? "(all)"]);
            Assert.Equal(expected, job.Page(label, 0, 1000));
            Assert.Equal(expected.Skip(10).Take(7), job.Page(label, 10, 7));
        }

        Assert.Empty(job.Page("cat", 10_000, 5));
        Assert.Empty(job.Page("bird", 0, 5));
    }
}
