using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ClipSearch.Indexer.Cli;

/// <summary>Logging for the command line: everything to stderr; information and up (e.g. the CUDA fallback), debug with --verbose.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        }));
}
