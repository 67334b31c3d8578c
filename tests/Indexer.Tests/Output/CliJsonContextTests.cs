using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ClipSearch.Indexer.Bench;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Tests.Output;

/// <summary>The output records' metadata, and the one shape whose property names are data (bench api's runs).</summary>
public sealed class CliJsonContextTests
{
    [Fact]
    public void EveryRegisteredShape_MetadataConfigures()
    {
        // The generator accepts some combinations the serializer refuses only when a type is first used (an
        // init-only extension data property, say): touching each type's metadata finds them without running commands.
        var shapes = typeof(CliJsonContext).GetProperties().Where(p => p.PropertyType.IsAssignableTo(typeof(JsonTypeInfo))).ToList();
        Assert.True(shapes.Count >= 20);
        Assert.All(shapes, p => Assert.NotNull(p.GetValue(CliJsonContext.Relaxed)));
    }

    [Fact]
    public void BenchApi_Runs_FollowTheSetupInTheOrderAdded()
    {
        var output = new BenchApiOutput("text search", 2000, 96, "m", 4, 2);
        output.Add("in_process_1_client", new LoadRun.Result(10, 0, 5.04, 1.23456, 2));
        output.Add("in_process_4_clients", new LoadRun.Result(40, 1, 20, 1, double.Epsilon));
        output.Add("p50_overhead_1_client", 1.005);

        var line = JsonSerializer.Serialize(output, CliJsonContext.Relaxed.BenchApiOutput);

        var root = JsonShape.Parse(line);
        JsonShape.AssertNames(root, "benchmark", "points", "dimension", "model", "clients", "seconds", "in_process_1_client", "in_process_4_clients", "p50_overhead_1_client");
        JsonShape.AssertNames(root.GetProperty("in_process_1_client"), "requests", "errors", "per_second", "p50_ms", "p99_ms");
        Assert.Equal("""{"requests":10,"errors":0,"per_second":5,"p50_ms":1.235,"p99_ms":2}""", root.GetProperty("in_process_1_client").GetRawText());
        Assert.Equal(1.0, root.GetProperty("p50_overhead_1_client").GetDouble());
    }
}
