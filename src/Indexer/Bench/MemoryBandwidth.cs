using System.Diagnostics;
using System.Numerics.Tensors;

namespace ClipSearch.Indexer.Bench;

/// <summary>
/// Single-thread read bandwidth (GB/s), the bound an exact scan can at best reach, measured in the same run: one
/// sequential stream through a buffer far larger than the L3 cache, as the scan reads its rows (one after another).
/// </summary>
internal static class MemoryBandwidth
{
    public static double MeasureGigabytesPerSecond(int megabytes = 256, int rounds = 9)
    {
        var data = new float[megabytes * 1024 * 1024 / 4];
        data.AsSpan().Fill(1f);
        var samples = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            var sum = TensorPrimitives.Sum(data);
            sw.Stop();
            GC.KeepAlive(sum);
            samples.Add(data.Length * 4.0 / sw.Elapsed.TotalSeconds / 1e9);
        }

        samples.Sort();
        data = null;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true); // the buffer goes back to the OS before any peak is read
        return samples[samples.Count / 2];
    }

    /// <summary>Peak resident memory of this process (VmHWM), in MB.</summary>
    public static double PeakRssMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return Environment.WorkingSet / 1048576.0;
    }
}
