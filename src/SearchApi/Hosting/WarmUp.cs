using ClipSearch.Clip;
using ClipSearch.Clip.Imaging;
using System.Diagnostics;
using ClipSearch.Core.Index;
using ClipSearch.Engine.Search;
using ClipSearch.SearchApi.Common;
using ClipSearch.SearchApi.Services;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Hosting;

/// <summary>
/// Before the API listens (hosted services start before the server), runs one query end to end: the text tower encodes a
/// query nobody types (ONNX Runtime's first run allocates and plans; the text cache is not involved), and the default
/// collection is opened and searched; the image tower runs once on a blank image (the embedded index loads its vectors and graph). Once the server listens, one search
/// over HTTP to itself compiles the request path (routing, binding, JSON); until it has answered, readiness says
/// "warming up"; with an image tower, one image query over HTTP follows it (the upload's path). The first real query is
/// then about as fast as the hundredth (tools/bench/hybrid.sh and load.sh measure it).
/// </summary>
internal sealed partial class WarmUp(ClipModel model, QueryEncoder encoder, IndexAccess index, SearchRunner runner, IOptions<ClipSearchOptions> options,
    IServer server, IHostApplicationLifetime lifetime, ILogger<WarmUp> logger) : IHostedService
{
    private volatile bool _done;

    /// <summary>Whether the warm-up has finished (readiness waits for it).</summary>
    public bool Done => _done;

    /// <summary>The warm-up query: a text no user types, so that it leaves nothing in the text cache a user would hit.</summary>
    internal const string Query = "clipsearch warm-up query 0f8e";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var vector = encoder.Text.Encode([Query], cancellationToken)[0];
        model.WarmUpImageTower(cancellationToken); // image queries (search by image, "more like this" of a file) too
        var encoded = clock.Elapsed;
        try
        {
            var collection = await index.OpenAsync(options.Value.DefaultCollection, cancellationToken).ConfigureAwait(false);
            // The path a search takes: keyword index, cut-off, fusion (and the code they run, compiled once here).
            await runner.SearchAsync(collection, new ResultQuery(vector, 10, Cutoff: Core.Ranking.CutoffMethod.Jump, Text: Query), encoder.Text, cancellationToken)
                .ConfigureAwait(false);
            await runner.SearchAsync(collection, new ResultQuery(vector, 10), encoder.Text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is VectorStoreException or RequestException)
        {
            // No default collection yet (or another model's): nothing to warm; the first search of it will open it.
            LogNoCollection(logger, options.Value.DefaultCollection, e.Message);
        }

        LogWarm(logger, encoded.TotalMilliseconds, clock.Elapsed.TotalMilliseconds);
        if (server.Features.Get<IServerAddressesFeature>() is null)
        {
            _done = true; // an in-memory test server: no address to send a search to
            return;
        }

        lifetime.ApplicationStarted.Register(() => _ = Task.Run(RequestAsync, CancellationToken.None));
    }

    // One search over HTTP to the server's own address; without one (an in-memory test server) there is nothing to compile.
    private async Task RequestAsync()
    {
        try
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is not null)
            {
                var local = new Uri(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                    .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal));
                using var http = new HttpClient { BaseAddress = local, Timeout = TimeSpan.FromSeconds(30) };
                using var response = await http.GetAsync(new Uri(
                    $"/api/search?q={Uri.EscapeDataString(Query)}&k=10&cutoff=auto&collection={Uri.EscapeDataString(options.Value.DefaultCollection)}", UriKind.Relative))
                    .ConfigureAwait(false);
                if (model.HasImageTower)
                {
                    // And one image query: the upload's path (the multipart form, a decode worker, the image tower) compiled too.
                    using var form = new MultipartFormDataContent();
                    var image = new ByteArrayContent(WarmUpImage.Jpeg);
                    image.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
                    form.Add(image, "file", "warm-up.jpg");
                    form.Add(new StringContent(options.Value.DefaultCollection), "collection");
                    form.Add(new StringContent("10"), "k");
                    using var answer = await http.PostAsync(new Uri("/api/search/image", UriKind.Relative), form).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            LogNoRequest(logger, e.Message);
        }
        finally
        {
            _done = true;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up: a text query encoded in {EncodeMs:0} ms, searched in {TotalMs:0} ms in all")]
    private static partial void LogWarm(ILogger logger, double encodeMs, double totalMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up: no search over HTTP ({Reason})")]
    private static partial void LogNoRequest(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up: collection {Collection} not searched ({Reason})")]
    private static partial void LogNoCollection(ILogger logger, string collection, string reason);
}
