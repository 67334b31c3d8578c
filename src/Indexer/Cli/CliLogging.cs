using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ClipSearch.Indexer.Cli;

/// <summary>Logging for the command line: everything to stderr, warnings and up unless --verbose.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        }));
}
