using ClipSearch.Clip.Inference;
using ClipSearch.Clip.Models;
using ClipSearch.Core.Index;
using ClipSearch.SearchApi.Services;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Hosting;

/// <summary>
/// Starts the app after checking its settings, loading the model and opening the index, so that a bad setting,
/// model or index ends the start with one clear line and exit code 1, not with a stack trace or at the first request.
/// </summary>
internal static partial class StartupErrors
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            var clip = app.Services.GetRequiredService<ClipRuntime>();
            var index = app.Services.GetRequiredService<IndexAccess>();
            LogReady(app.Logger, clip.ModelId, clip.Dimension, clip.Device, index.Location);
        }
        catch (Exception e) when (e is OptionsValidationException or ClipModelException or ClipDeviceException or VectorStoreException
            or InvalidOperationException { InnerException: FormatException or ArgumentException })
        {
            var message = e is OptionsValidationException o ? string.Join(Environment.NewLine, o.Failures)
                : e is InvalidOperationException { InnerException: { } inner } ? $"{e.Message} {inner.Message}" : e.Message;
            await Console.Error.WriteLineAsync($"ClipSearch.SearchApi cannot start: {message}").ConfigureAwait(false);
            return 1;
        }

        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelId} ({Dimension} dimensions, {Device}) loaded; index at {Index}")]
    private static partial void LogReady(ILogger logger, string modelId, int dimension, string device, string index);
}
