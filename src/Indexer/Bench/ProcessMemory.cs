using System.Globalization;

namespace ClipSearch.Indexer.Bench;

/// <summary>
/// This process's memory from /proc/self/status, in MB: resident in total, anonymous (heap, graph, arrays: what must
/// fit in RAM), file-backed (pages of the memory-mapped row file: page cache the kernel can drop and re-read), the peak
/// (VmHWM), and the managed heap. Zeros where /proc is missing.
/// </summary>
internal sealed record ProcessMemory(double RssMb, double AnonMb, double FileMb, double PeakMb, double ManagedHeapMb)
{
    public static ProcessMemory Now()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var managed = GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0;
        var values = new Dictionary<string, double>();
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line.EndsWith(" kB", StringComparison.Ordinal))
                {
                    values[line[..colon]] = double.Parse(line[(colon + 1)..^3].Trim(), CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux: managed heap only.
        }

        double Get(string key) => values.GetValueOrDefault(key);
        return new ProcessMemory(Get("VmRSS"), Get("RssAnon"), Get("RssFile") + Get("RssShmem"), Get("VmHWM"), managed);
    }

    /// <summary>Resets VmHWM (Linux: writing 5 to clear_refs), so the next peak is of what follows.</summary>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux or not permitted: the peak then covers the whole process.
        }
    }
}
