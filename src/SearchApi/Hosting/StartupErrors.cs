using ClipSearch.Clip;
using ClipSearch.Clip.Imaging.Thumbnails;
using ClipSearch.Clip.Inference;
using ClipSearch.Clip.Models;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
using ClipSearch.Engine.Models;
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
            // Load the model and open the index now: the first request must not pay for it, nor find it broken. Image queries
            // and thumbnails are decoded in worker processes: those start, and compile their decode path, while the towers load.
            var clip = app.Services.GetRequiredService<ClipModel>();
            if (clip.HasImageTower)
            {
                _ = app.Services.GetRequiredService<IImageEncoder>().WarmUpDecodersAsync();
            }

            _ = app.Services.GetRequiredService<IThumbnailRenderer>().WarmUpAsync();

            clip.LoadTowers(ModelTowers.Both);
            _ = app.Services.GetRequiredService<ITextEncoder>();
            var model = app.Services.GetRequiredService<LoadedModel>();
            if (model.HasImageTower)
            {
                _ = app.Services.GetRequiredService<IImageEncoder>();
            }

            var index = app.Services.GetRequiredService<IndexAccess>();
            LogReady(app.Logger, model.ModelId, model.Dimension, model.Device, index.Location);
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
