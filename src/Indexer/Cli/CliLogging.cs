using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ClipSearch.Indexer.Cli;

/// <summary>Logging for the command line: everything to stderr; information and up (e.g. the CUDA fallback), debug with --verbose.</summary>
internal static class CliLogging
{
    public static void Configure(ILoggingBuilder builder, bool verbose) => builder
        .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
}
