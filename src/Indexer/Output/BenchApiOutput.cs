using System.Text.Json;
using System.Text.Json.Serialization;
using ClipSearch.Indexer.Bench;

namespace ClipSearch.Indexer.Output;

/// <summary><c>bench api --json</c>: the setup, then each load run and the HTTP/in-process ratios, in the order measured.</summary>
internal sealed record BenchApiOutput(string Benchmark, long Points, int Dimension, string Model, int Clients, double Seconds)
{
    /// <summary>
    /// The runs and ratios. Their names carry the client count (<c>http_16_clients</c>), so they are extension data,
    /// written after the named properties in insertion order. Not a JsonObject: as extension data it is written as a
    /// nameless nested object, invalid JSON (dotnet/runtime#60806). Get-only: the source generator binds an init-only
    /// property like a constructor parameter, which extension data cannot be.
    /// </summary>
    [JsonExtensionData]
    public OrderedDictionary<string, JsonElement> Runs { get; } = [];

    public void Add(string name, LoadRun.Result run) => Runs.Add(name, JsonSerializer.SerializeToElement(LoadRunOutput.From(run), CliJsonContext.Relaxed.LoadRunOutput));

    public void Add(string name, double ratio) => Runs.Add(name, JsonSerializer.SerializeToElement(Math.Round(ratio, 2), CliJsonContext.Relaxed.Double));
}
