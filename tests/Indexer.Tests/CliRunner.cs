
namespace ClipSearch.Indexer.Tests;

/// <summary>Runs <c>clipsearch</c> in-process and captures stdout, stderr and the exit code.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ClipSearchCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
