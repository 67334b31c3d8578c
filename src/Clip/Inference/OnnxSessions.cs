using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace ClipSearch.Clip.Inference;

/// <summary>Creates ONNX Runtime sessions on the requested device, with CPU options chosen by measurement.</summary>
internal static partial class OnnxSessions
{
    private static readonly Lazy<OrtEnv> Env = new(() =>
    {
        // Created before any session so that a failed CUDA load is not printed to stderr in red by the
        // native logger: the fallback is reported once, through ILogger, instead.
        var options = new EnvironmentCreationOptions { logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, logId = "clipsearch" };
        return OrtEnv.CreateInstanceWithOptions(ref options);
    });

    /// <summary>Opens <paramref name="modelPath"/>; returns the session, the device it really runs on, and whether a CPU
    /// session came from the optimised-graph cache (<see cref="ClipEngineOptions.GraphCacheFolder"/>).</summary>
    public static OnnxSession Create(string modelPath, ClipEngineOptions options, ILogger logger)
    {
        _ = Env.Value;
        // auto without an NVIDIA driver: CPU at once (trying CUDA there only fails, after loading its provider library).
        var tryCuda = options.Device == ExecutionDevice.Cuda || (options.Device == ExecutionDevice.Auto && NvidiaDriverPresent());
        if (options.Device == ExecutionDevice.Auto && !tryCuda)
        {
            LogCpuOnly(logger, "no NVIDIA driver");
        }

        if (tryCuda)
        {
            var cuda = CpuOptions(options);
            try
            {
                cuda.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                return new OnnxSession(new InferenceSession(modelPath, cuda), ExecutionDevice.Cuda, fromCache: false);
            }
            catch (OnnxRuntimeException e)
            {
                cuda.Dispose();
                // GetAvailableProviders() lists CUDA even when its libraries cannot load, so trying is the only test.
                if (options.Device == ExecutionDevice.Cuda)
                {
                    throw new ClipDeviceException(
                        $"CUDA was requested but cannot be used: {FirstLine(e.Message)}. ONNX Runtime 1.31 needs an NVIDIA GPU with the CUDA 13 runtime (libcudart.so.13, libcublasLt.so.13) and cuDNN 9 on the library path; use --device cpu or auto otherwise.", e);
                }

                var reason = FirstLine(e.Message);
                LogCudaFallback(logger, reason); // a GPU is there but unusable: worth telling
            }
        }

        return OptimizedGraphCache.Open(modelPath, options, () => CpuOptions(options), logger);
    }

    private static SessionOptions CpuOptions(ClipEngineOptions options)
    {
        var so = new SessionOptions
        {
            GraphOptimizationLevel = options.OptimizationLevel,
            ExecutionMode = options.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        return so;
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }

    // /dev/dxg with the WSL driver folder: an NVIDIA GPU under WSL 2, which has no /dev/nvidia* nodes.
    internal static bool NvidiaDriverPresent() => File.Exists("/proc/driver/nvidia/version") || File.Exists("/dev/nvidia0")
        || (File.Exists("/dev/dxg") && Directory.Exists("/usr/lib/wsl/lib")) || OperatingSystem.IsWindows();

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "CUDA is not usable ({Reason}); running on CPU")]
    private static partial void LogCudaFallback(ILogger logger, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "No NVIDIA GPU found (CUDA: {Reason}); running on CPU")]
    private static partial void LogCpuOnly(ILogger logger, string reason);
}
