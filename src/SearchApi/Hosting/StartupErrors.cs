using ClipSearch.Clip.Inference;
using ClipSearch.Clip.Models;
using ClipSearch.Core.Index;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Hosting;

/// <summary>Runs the app; a start that fails on configuration, model or index ends with one clear line and exit code 1, not a stack trace.</summary>
internal static class StartupErrors
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        try
        {
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is OptionsValidationException or ClipModelException or ClipDeviceException or VectorStoreException or InvalidOperationException
            { InnerException: FormatException or ArgumentException })
        {
            var message = e is OptionsValidationException o ? string.Join(Environment.NewLine, o.Failures) : e.InnerException is { } inner && e is InvalidOperationException
                ? $"{e.Message} {inner.Message}" : e.Message;
            await Console.Error.WriteLineAsync($"ClipSearch.SearchApi cannot start: {message}").ConfigureAwait(false);
            return 1;
        }
    }
}
