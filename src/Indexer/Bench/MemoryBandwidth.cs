using System.Diagnostics;
using System.Numerics.Tensors;

namespace ClipSearch.Indexer.Bench;

/// <summary>Single-thread read bandwidth (GB/s), the bound an exact scan can at best reach, measured in the same run.</summary>
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
