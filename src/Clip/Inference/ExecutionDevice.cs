namespace ClipSearch.Clip.Inference;

/// <summary>Where ONNX Runtime runs the CLIP towers.</summary>
public enum ExecutionDevice
{
    /// <summary>CUDA when its libraries load, else CPU (one log line says which).</summary>
    Auto,

    /// <summary>CPU only.</summary>
    Cpu,

    /// <summary>CUDA only: refused with a clear message when CUDA 13, cuDNN 9 or a GPU is missing.</summary>
    Cuda,
}
