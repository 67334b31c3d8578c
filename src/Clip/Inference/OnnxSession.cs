using Microsoft.ML.OnnxRuntime;

namespace ClipSearch.Clip.Inference;

/// <summary>
/// An ONNX Runtime session with what it was made from: the device it runs on, whether it came from the optimised-graph
/// cache, and, for a cached graph, the model bytes it runs from (ONNX Runtime uses them in place, so they are pinned and
/// must live as long as the session).
/// </summary>
internal sealed class OnnxSession(InferenceSession session, ExecutionDevice device, bool fromCache, byte[]? modelBytes = null) : IDisposable
{
    public InferenceSession Session { get; } = session;

    public ExecutionDevice Device { get; } = device;

    public bool FromCache { get; } = fromCache;

    public void Dispose()
    {
        Session.Dispose();
        GC.KeepAlive(modelBytes); // released only once the session that reads them is gone
    }
}
