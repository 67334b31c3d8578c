using System.Globalization;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Cli;

/// <summary>
/// The embedded store's approximate index catching up after an index run, on stderr: the command waits for it
/// (a large collection's graph can take tens of seconds) rather than doing that work silently while it exits.
/// </summary>
internal sealed class GraphProgress(TextWriter error, bool interactive) : IProgress<ApproximateIndexProgress>
{
    private readonly StatusLine _line = new(error, interactive, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
    private ApproximateIndexProgress _last;

    public void Report(ApproximateIndexProgress value)
    {
        _last = value;
        _line.Show(() => string.Create(CultureInfo.InvariantCulture,
            $"updating the approximate index: {value.Held:N0} of {value.Total:N0} points"));
    }

    /// <summary>Waits for the graph of <paramref name="collection"/> to hold every point and be saved, showing progress; silent when nothing is due.</summary>
    public static async Task FinishAsync(EmbeddedVectorStore store, string collection, TextWriter error, CancellationToken cancellationToken)
    {
        var progress = new GraphProgress(error, StatusLine.IsInteractive(error));
        try
        {
            if (await store.WaitForApproximateIndexAsync(collection, saved: true, progress, cancellationToken).ConfigureAwait(false))
            {
                progress._line.Show(() => string.Create(CultureInfo.InvariantCulture,
                    $"approximate index up to date and saved: {progress._last.Total:N0} points"), force: true, final: true);
            }
        }
        finally
        {
            progress._line.Close();
        }
    }
}
