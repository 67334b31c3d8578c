using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace ClipSearch.Clip.Inference;

/// <summary>
/// Keeps each tower's graph as ONNX Runtime optimised it, in ORT format, and loads it from one pinned byte array that
/// ONNX Runtime reads in place (weights included), so that a later process neither parses the ONNX protobuf, nor runs the
/// graph optimisers, nor copies the weights: on ViT-B/32's text tower a fresh process loads and runs it with ~40% less CPU
/// time and in about half the wall time (docs/BENCHMARKS.md, where the alternatives measured are listed). An entry is named
/// by a hash of the model file's identity (full path, size, modification time), the ONNX Runtime version, the
/// optimisation level and the CPU's instruction sets (ONNX Runtime's fully optimised graphs may hold kernels and layouts
/// chosen for this CPU), so a changed model, runtime or machine never reads a stale one. An entry that fails to load is
/// deleted and rebuilt; a cache that cannot be written is simply not used. One file is kept per model path.
/// </summary>
internal static partial class OptimizedGraphCache
{
    private const string Extension = ".ort";

    /// <summary>An entry is read into one array, under 2 GB: larger models (and any with weights in external data) are not cached.</summary>
    private const long LargestCached = 1L << 30 | 1L << 29 | 1L << 28;

    /// <summary>Creates a CPU session for <paramref name="modelPath"/>, through the cache when one is configured.</summary>
    public static OnnxSession Open(string modelPath, ClipEngineOptions options, Func<SessionOptions> cpuOptions, ILogger logger)
    {
        var entry = string.IsNullOrEmpty(options.GraphCacheFolder) ? null : EntryFor(modelPath, options.GraphCacheFolder, options.OptimizationLevel);
        if (entry is null)
        {
            using var plain = cpuOptions();
            return new OnnxSession(new InferenceSession(modelPath, plain), ExecutionDevice.Cpu, fromCache: false);
        }

        if (TryRead(entry.Path) is { } bytes)
        {
            using var load = cpuOptions();
            load.AddSessionConfigEntry("session.load_model_format", "ORT");
            load.AddSessionConfigEntry("session.use_ort_model_bytes_directly", "1");
            load.AddSessionConfigEntry("session.use_ort_model_bytes_for_initializers", "1");
            try
            {
                return new OnnxSession(new InferenceSession(bytes, load), ExecutionDevice.Cpu, fromCache: true, bytes);
            }
            catch (OnnxRuntimeException e)
            {
                var reason = FirstLine(e);
                LogUnreadable(logger, entry.Path, reason);
                TryDelete(entry.Path);
            }
        }

        return new OnnxSession(CreateAndSave(modelPath, entry, cpuOptions, logger), ExecutionDevice.Cpu, fromCache: false);
    }

    /// <summary>The entry's bytes in an array on the pinned heap (ONNX Runtime keeps pointers into it), or null when absent.</summary>
    private static byte[]? TryRead(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
            if (file.Length is 0 or > LargestCached)
            {
                return null;
            }

            var bytes = GC.AllocateUninitializedArray<byte>((int)file.Length, pinned: true);
            file.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // absent (the usual first run), or being replaced: load from the ONNX file
        }
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
        save.AddSessionConfigEntry("session.save_model_format", "ORT");
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

    /// <summary>The cache entry of a model file: <c>{hash of its path}-{name}-{hash of its identity}.ort</c>; null when the file
    /// cannot be read or is not cached (weights in external data, or too large for one protobuf).</summary>
    internal static Entry? EntryFor(string modelPath, string folder, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
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
            OrtEnv.Instance().GetVersionString(), level.ToString(), CpuIdentity());
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
