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

    internal ClipEngineOptions WithDevice(ExecutionDevice device) => new()
    {
        Device = device,
        CudaDeviceId = CudaDeviceId,
        BatchSize = BatchSize,
        IntraOpThreads = IntraOpThreads,
        AllowSpinning = AllowSpinning,
        GraphCacheFolder = GraphCacheFolder,
        OptimizationLevel = OptimizationLevel,
        InterOpThreads = InterOpThreads,
    };
}
