namespace ClipSearch.Clip.Inference;

/// <summary>The requested execution device cannot be used (for example CUDA without its libraries).</summary>
public sealed class ClipDeviceException : Exception
{
    public ClipDeviceException()
    {
    }

    public ClipDeviceException(string message)
        : base(message)
    {
    }

    public ClipDeviceException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
