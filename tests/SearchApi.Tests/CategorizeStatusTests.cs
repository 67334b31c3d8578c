using System.Text.Json;
using ClipSearch.Engine.Categorization;
using ClipSearch.SearchApi.Apis;
using ClipSearch.SearchApi.Hosting;
using ClipSearch.SearchApi.Services;

namespace ClipSearch.SearchApi.Tests;

/// <summary>A job's state reaches clients (the web UI among them) as the same lower-case words as before it was an enum.</summary>
public sealed class CategorizeStatusTests
{
    [Fact]
    public void Status_EachState_SerializesAsTheContractsWord()
    {
        CategorizeJob Job() => new("j", "c", "set", ["cat", "dog"], apply: false);
        var completed = Job();
        completed.Complete(new CategorizeSummary("set", "run", 0, 0, new Dictionary<string, int>(), 0.1));
        var failed = Job();
        failed.End(CategorizeJobState.Failed, "broken");
        var cancelled = Job();
        cancelled.End(CategorizeJobState.Cancelled, "Cancelled.");
        var jobs = new Dictionary<string, CategorizeJob> { ["running"] = Job(), ["completed"] = completed, ["failed"] = failed, ["cancelled"] = cancelled };
        Assert.Equal(Enum.GetValues<CategorizeJobState>().Length, jobs.Count);

        foreach (var (word, job) in jobs)
        {
            var json = JsonDocument.Parse(JsonSerializer.Serialize(CategorizeApi.Status(job), ApiJsonContext.Default.CategorizeStatus)).RootElement;
            Assert.Equal(word, json.GetProperty("state").GetString());
        }
    }
}
