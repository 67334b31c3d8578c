using System.Globalization;
using ClipSearch.Indexing;

namespace ClipSearch.Indexer.Cli;

/// <summary>
/// Index progress on stderr: files done of those to do, files/s, images/s, ETA and skips so far. On a terminal
/// one line is redrawn every half second; otherwise (a log file, a pipe) a line is written every 5 seconds.
/// </summary>
internal sealed class ConsoleProgress(TextWriter error, bool interactive) : IProgress<IndexProgress>
{
    private readonly StatusLine _line = new(error, interactive, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
    private TimeSpan? _indexingStarted;

    public static ConsoleProgress For(TextWriter error) => new(error, StatusLine.IsInteractive(error));

    public void Report(IndexProgress value)
    {
        if (value.Phase == "indexing" && _indexingStarted is null)
        {
            _indexingStarted = value.Elapsed;
        }

        var last = value.Phase == "finishing";
        if (!interactive && value.FilesToDo == 0 && value.Phase != "scanning")
        {
            return; // nothing to do: the summary says it
        }

        _line.Show(() => Format(value), force: last, final: last);
    }

    /// <summary>Ends a redrawn line before other output.</summary>
    public void Close() => _line.Close();

    private string Format(IndexProgress p)
    {
        if (p.Phase == "scanning")
        {
            return string.Create(CultureInfo.InvariantCulture, $"scanning... {p.FilesToDo:N0} new or changed files so far");
        }

        var seconds = Math.Max(1e-3, (p.Elapsed - (_indexingStarted ?? TimeSpan.Zero)).TotalSeconds);
        var filesPerSecond = p.FilesDone / seconds;
        var imagesPerSecond = p.Encoded / seconds;
        var left = p.FilesToDo - p.FilesDone;
        var eta = filesPerSecond > 0 && left > 0 ? " ETA " + Duration(TimeSpan.FromSeconds(left / filesPerSecond)) : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{p.Phase}: {p.FilesDone:N0}/{p.FilesToDo:N0} files ({filesPerSecond:0.0} files/s, {imagesPerSecond:0.0} images/s), {p.Skipped:N0} skipped{eta}");
    }

    internal static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? $"{(int)t.TotalHours}h{t.Minutes:00}m"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{Math.Ceiling(t.TotalSeconds):0}s";
}
