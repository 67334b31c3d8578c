using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace ClipSearch.Clip.Inference;

/// <summary>
/// Keeps each tower's graph as ONNX Runtime optimised it, so that a later process loads it with the graph optimisers off
/// (measured on a ViT-B/32-sized text tower: about 30% less CPU time to load, and no more memory; ORT format was also
/// tried: slower to load from a file, and faster only from a byte array held for the session's life, at +150 MB;
/// docs/BENCHMARKS.md). An entry is named
/// by a hash of the model file's identity (full path, size, modification time), the ONNX Runtime version, the
/// optimisation level and the CPU's instruction sets (ONNX Runtime's fully optimised graphs may hold kernels and layouts
/// chosen for this CPU), so a changed model, runtime or machine never reads a stale one. An entry that fails to load is
/// deleted and rebuilt; a cache that cannot be written is simply not used. One file is kept per model path.
/// </summary>
internal static partial class OptimizedGraphCache
{
    private const string Extension = ".onnx";

    /// <summary>A saved graph is one protobuf, which cannot exceed 2 GB: larger models (weights in external data) are not cached.</summary>
    private const long LargestCached = 1L << 30 | 1L << 29 | 1L << 28;

    /// <summary>Creates a CPU session for <paramref name="modelPath"/>, through the cache when one is configured.</summary>
    public static (InferenceSession Session, bool Cached) Open(string modelPath, ClipEngineOptions options, Func<SessionOptions> cpuOptions, ILogger logger)
    {
        var entry = string.IsNullOrEmpty(options.GraphCacheFolder) ? null : EntryFor(modelPath, options.GraphCacheFolder);
        if (entry is null)
        {
            using var plain = cpuOptions();
            return (new InferenceSession(modelPath, plain), false);
        }

        if (File.Exists(entry.Path))
        {
            using var load = cpuOptions();
            load.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL; // done once, when it was saved
            try
            {
                return (new InferenceSession(entry.Path, load), true);
            }
            catch (OnnxRuntimeException e)
            {
                var reason = FirstLine(e);
                LogUnreadable(logger, entry.Path, reason);
                TryDelete(entry.Path);
            }
        }

        return (CreateAndSave(modelPath, entry, cpuOptions, logger), false);
    }

    /// <summary>Optimises the ONNX file as usual and, in the same step, has ONNX Runtime write the result; the entry
    /// appears under its final name only once complete (written to a unique temporary name, then renamed).</summary>
    private static InferenceSession CreateAndSave(string modelPath, Entry entry, Func<SessionOptions> cpuOptions, ILogger logger)
    {
        string temporary;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(entry.Path)!);
            temporary = $"{entry.Path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogNotWritable(logger, entry.Path, e.Message);
            using var plain = cpuOptions();
            return new InferenceSession(modelPath, plain);
        }

        using var save = cpuOptions();
        save.OptimizedModelFilePath = temporary;
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, save);
        }
        catch (OnnxRuntimeException e)
        {
            // The save may be what failed (a full or read-only cache folder): load without saving; a broken model fails
            // again there, with its own message.
            TryDelete(temporary);
            var reason = FirstLine(e);
            LogNotWritable(logger, entry.Path, reason);
            using var plain = cpuOptions();
            return new InferenceSession(modelPath, plain);
        }

        try
        {
            File.Move(temporary, entry.Path, overwrite: true);
            foreach (var stale in Directory.EnumerateFiles(Path.GetDirectoryName(entry.Path)!, entry.Prefix + "*" + Extension))
            {
                if (!string.Equals(stale, entry.Path, StringComparison.Ordinal))
                {
                    TryDelete(stale); // the same model file before it changed
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogNotWritable(logger, entry.Path, e.Message);
            TryDelete(temporary);
        }

        return session;
    }

    /// <summary>The cache entry of a model file: <c>{hash of its path}-{name}-{hash of its identity}.onnx</c>; null when the file
    /// cannot be read or is not cached (weights in external data, or too large for one protobuf).</summary>
    internal static Entry? EntryFor(string modelPath, string folder)
    {
        FileInfo file;
        try
        {
            file = new FileInfo(Path.GetFullPath(modelPath));
            if (!file.Exists || file.Length > LargestCached || File.Exists(file.FullName + "_data") || File.Exists(file.FullName + ".data"))
            {
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }

        var identity = string.Join('\n', file.FullName, file.Length.ToString(CultureInfo.InvariantCulture), file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture),
            OrtEnv.Instance().GetVersionString(), nameof(GraphOptimizationLevel.ORT_ENABLE_ALL), CpuIdentity());
        var prefix = Hash(file.FullName, 8) + "-";
        var name = prefix + Path.GetFileNameWithoutExtension(file.Name) + "-" + Hash(identity, 12) + Extension;
        return new Entry(Path.Combine(Path.GetFullPath(folder), name), prefix);
    }

    /// <summary>The architecture and the instruction sets ONNX Runtime's CPU kernels choose between.</summary>
    private static string CpuIdentity() => string.Join(',', RuntimeInformation.ProcessArchitecture,
        Avx2.IsSupported, Fma.IsSupported, Avx512F.IsSupported, Avx512BW.IsSupported, Avx512Vbmi.IsSupported, AvxVnni.IsSupported,
        System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported, System.Runtime.Intrinsics.Arm.Dp.IsSupported);

    private static string Hash(string text, int bytes) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, bytes));

    private static string FirstLine(Exception e) => e.Message.Split('\n', 2)[0];

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another process may hold or have removed it; the next load tries again.
        }
    }

    internal sealed record Entry(string Path, string Prefix);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "The cached optimised graph {Path} could not be loaded ({Reason}); rebuilding it from the ONNX file")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Not caching the optimised graph at {Path}: {Reason}")]
    private static partial void LogNotWritable(ILogger logger, string path, string reason);
}
