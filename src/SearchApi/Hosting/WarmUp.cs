using System.Diagnostics;
using ClipSearch.Core.Index;
using ClipSearch.SearchApi.Common;
using ClipSearch.SearchApi.Services;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Hosting;

/// <summary>
/// Before the API listens (hosted services start before the server), runs one query end to end: the text tower encodes a
/// query nobody types (ONNX Runtime's first run allocates and plans; the text cache is not involved), and the default
/// collection is opened and searched (the embedded index loads its vectors and graph). The first real query is then as
/// fast as the hundredth (tools/bench/first-query.sh measures it).
/// </summary>
internal sealed partial class WarmUp(QueryEncoder encoder, IndexAccess index, IOptions<ClipSearchOptions> options, ILogger<WarmUp> logger) : IHostedService
{
    /// <summary>The warm-up query: a text no user types, so that it leaves nothing in the text cache a user would hit.</summary>
    internal const string Query = "clipsearch warm-up query 0f8e";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var vector = encoder.Text.Encode([Query], cancellationToken)[0];
        var encoded = clock.Elapsed;
        try
        {
            var collection = await index.OpenAsync(options.Value.DefaultCollection, cancellationToken).ConfigureAwait(false);
            await collection.SearchAsync(new VectorQuery(vector, 10), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is VectorStoreException or RequestException)
        {
            // No default collection yet (or another model's): nothing to warm; the first search of it will open it.
            LogNoCollection(logger, options.Value.DefaultCollection, e.Message);
        }

        LogWarm(logger, encoded.TotalMilliseconds, clock.Elapsed.TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up: a text query encoded in {EncodeMs:0} ms, searched in {TotalMs:0} ms in all")]
    private static partial void LogWarm(ILogger logger, double encodeMs, double totalMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up: collection {Collection} not searched ({Reason})")]
    private static partial void LogNoCollection(ILogger logger, string collection, string reason);
}
