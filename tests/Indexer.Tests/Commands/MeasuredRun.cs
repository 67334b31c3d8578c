using System.Diagnostics;
using System.Globalization;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>Runs clipsearch as a child process while sampling the memory of its process tree.</summary>
internal static class MeasuredRun
{
    /// <summary>Runs clipsearch as a child process, sampling the resident memory of it and its decoder processes together.</summary>
    public static async Task<(int Exit, string Out, string Err, long PeakTreeRss, long PeakMainRss, double Seconds)> RunAsync(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "clipsearch.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        long peak = 0, main = 0;
        while (!exited.IsCompleted)
        {
            var (tree, own) = TreeRss(process.Id);
            (peak, main) = (Math.Max(peak, tree), Math.Max(main, own));
            await Task.WhenAny(exited, Task.Delay(50));
        }

        await exited;
        return (process.ExitCode, await stdout, await stderr, peak, main, clock.Elapsed.TotalSeconds);
    }

    private static (long Tree, long Root) TreeRss(int pid)
    {
        long total = 0, root = 0;
        var pending = new Stack<int>([pid]);
        while (pending.Count > 0)
        {
            var p = pending.Pop();
            try
            {
                var rss = File.ReadLines($"/proc/{p}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (rss is not null)
                {
                    var bytes = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                    total += bytes;
                    root = p == pid ? bytes : root;
                }

                foreach (var task in Directory.EnumerateDirectories($"/proc/{p}/task"))
                {
                    foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        pending.Push(int.Parse(child, CultureInfo.InvariantCulture));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process ended while being looked at
            }
        }

        return (total, root);
    }
}
