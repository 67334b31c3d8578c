using ClipSearch.SearchApi.Services;

namespace ClipSearch.SearchApi.Hosting;

/// <summary>Loads the model and opens the index while the API starts, so that a bad model or index stops the start instead of the first request.</summary>
internal sealed partial class StartupCheck(IServiceProvider services, ILogger<StartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var clip = services.GetRequiredService<ClipRuntime>();
        var index = services.GetRequiredService<IndexAccess>();
        LogReady(logger, clip.ModelId, clip.Dimension, clip.Device, index.Location);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelId} ({Dimension} dimensions, {Device}) loaded; index at {Index}")]
    private static partial void LogReady(ILogger logger, string modelId, int dimension, string device, string index);
}
