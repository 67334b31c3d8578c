using System.ComponentModel.DataAnnotations;
using Microsoft.ML.OnnxRuntime;

namespace ClipSearch.Clip.Inference;

/// <summary>
/// How CLIP models are loaded and run; the engine binds it from the <c>ClipSearch</c> section (<c>ClipSearch:Device</c>,
/// <c>ClipSearch:BatchSize</c>, ...; CLI <c>--device</c>, <c>--batch</c>; <c>CLIPSEARCH_DEVICE</c>).
/// </summary>
public sealed class ClipEngineOptions
{
    /// <summary>auto (CUDA if usable, else CPU), cpu or cuda.</summary>
    public ExecutionDevice Device { get; set; } = ExecutionDevice.Auto;

    /// <summary>CUDA device ordinal.</summary>
    [Range(0, 64)]
    public int CudaDeviceId { get; set; }

    /// <summary>Images or texts per inference call.</summary>
    [Range(1, 1024)]
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// ONNX Runtime intra-op threads on CPU; 0 = one per core. Spin-waiting is off: with image decoding on
    /// the same cores it was measured about 20% cheaper (docs/BENCHMARKS.md).
    /// </summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Image batches encoded side by side on CPU, each on its own caller thread, the image tower's session getting the
    /// cores left over (<see cref="CpuImageParallelism"/>). 0 or 1: one batch at a time on <see cref="IntraOpThreads"/>.
    /// The indexing commands (<c>clipsearch index</c>, <c>bench pipeline</c>) default to <see cref="IndexingStreams"/>:
    /// on ViT-B/32 two batches on one thread each encoded x1.5 the images of one batch on both cores (ONNX Runtime spreads
    /// a batch over its threads operator by operator, and they wait for each other), 0-8% more in the indexing pipeline
    /// (docs/BENCHMARKS.md). Everything else encodes one batch at a time and keeps every core for it. A CUDA session
    /// always runs one batch at a time.
    /// </summary>
    [Range(0, 64)]
    public int ImageStreams { get; set; }

    /// <summary>The most streams the indexing commands use by default: each holds a batch's activations (about a gigabyte for ViT-L/14 at 336 pixels, batch 16).</summary>
    public const int MaxAutoImageStreams = 8;

    /// <summary>The streams the indexing commands use unless told: one per core, at most <see cref="MaxAutoImageStreams"/>.</summary>
    public static int IndexingStreams(int cores) => Math.Clamp(cores, 1, MaxAutoImageStreams);

    /// <summary>
    /// Let ONNX Runtime's idle intra-op threads spin-wait for work. Off by default: spinning threads steal
    /// the cores image decoding needs (see docs/BENCHMARKS.md for the measurement).
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>
    /// Where the CPU sessions keep each tower's graph as ONNX Runtime optimised it (ORT format), so that later loads skip
    /// parsing, optimising and copying it: a fresh process loads ViT-B/32's text tower with ~40% less CPU (docs/BENCHMARKS.md).
    /// Entries are keyed by the model file (path, size, time), the ONNX Runtime version and the CPU's instruction sets;
    /// a stale or unreadable entry is replaced. Null or empty: no cache. The engine defaults it to
    /// $XDG_CACHE_HOME/clipsearch/onnx (else ~/.cache/clipsearch/onnx).
    /// </summary>
    public string? GraphCacheFolder { get; set; }

    /// <summary>Graph optimisation level; only tools/EngineBenchmark sets another, to compare them.</summary>
    internal GraphOptimizationLevel OptimizationLevel { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// Inter-op threads; above 1 the session runs independent branches of the graph in parallel. 1 (sequential) by
    /// measurement: a CLIP tower is one chain of layers (docs/BENCHMARKS.md).
    /// </summary>
    internal int InterOpThreads { get; set; } = 1;

    /// <summary>
    /// How image encoding runs on CPU with <paramref name="cores"/> cores: batches side by side (<see cref="ImageStreams"/>,
    /// at least 1) and the intra-op threads of the image tower's one session, which the streams share. A call runs on its
    /// caller's thread plus the pool's other threads, so unless <see cref="IntraOpThreads"/> is set the callers and the
    /// pool's threads together make one per core (1 stream: a thread per core; 2 cores, 2 streams: 1 thread; 16 cores,
    /// 8 streams: 9 threads).
    /// </summary>
    public (int Streams, int Threads) CpuImageParallelism(int cores)
    {
        cores = Math.Max(1, cores);
        var streams = Math.Max(1, ImageStreams);
        var threads = IntraOpThreads > 0 ? IntraOpThreads : Math.Max(1, cores - streams + 1);
        return (streams, threads);
    }

    internal ClipEngineOptions WithDevice(ExecutionDevice device) => With(device, IntraOpThreads);

    /// <summary>These options for the image tower's session: its intra-op threads as <see cref="CpuImageParallelism"/> gives them.</summary>
    internal ClipEngineOptions ForImageTower(int cores) => With(Device, CpuImageParallelism(cores).Threads);

    private ClipEngineOptions With(ExecutionDevice device, int intraOpThreads) => new()
    {
        Device = device,
        CudaDeviceId = CudaDeviceId,
        BatchSize = BatchSize,
        IntraOpThreads = intraOpThreads,
        ImageStreams = ImageStreams,
        AllowSpinning = AllowSpinning,
        GraphCacheFolder = GraphCacheFolder,
        OptimizationLevel = OptimizationLevel,
        InterOpThreads = InterOpThreads,
    };
}
