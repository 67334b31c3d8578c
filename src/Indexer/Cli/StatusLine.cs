namespace ClipSearch.Indexer.Cli;

/// <summary>
/// A progress line on stderr: on a terminal one line redrawn at most every <c>interactiveEvery</c>; otherwise
/// (a log file, a pipe) a plain line at most every <c>loggedEvery</c>, so logs stay readable.
/// </summary>
internal sealed class StatusLine(TextWriter error, bool interactive, TimeSpan interactiveEvery, TimeSpan loggedEvery)
{
    private readonly System.Diagnostics.Stopwatch _since = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private bool _drawn;

    /// <summary>Whether stderr is a terminal the line can be redrawn on.</summary>
    public static bool IsInteractive(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Shows <paramref name="text"/> if enough time has passed since the last line (always when <paramref name="force"/>).</summary>
    public void Show(Func<string> text, bool force = false, bool final = false)
    {
        lock (_gate)
        {
            if (!force && _since.Elapsed < (interactive ? interactiveEvery : loggedEvery))
            {
                return;
            }

            _since.Restart();
            if (interactive)
            {
                error.Write("\r" + text().PadRight(100) + (final ? "\n" : ""));
                _drawn = !final;
            }
            else
            {
                error.WriteLine(text());
            }
        }
    }

    /// <summary>Ends a redrawn line before other output.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_drawn)
            {
                error.WriteLine();
                _drawn = false;
            }
        }
    }
}
