namespace ClipSearch.Core.Index;

/// <summary>The one exception type every vector-store backend throws; <see cref="Kind"/> says what went wrong.</summary>
public sealed class VectorStoreException : Exception
{
    public VectorStoreException(VectorStoreErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public VectorStoreException()
    {
    }

    public VectorStoreException(string message)
        : base(message)
    {
    }

    public VectorStoreException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public VectorStoreErrorKind Kind { get; } = VectorStoreErrorKind.Failed;
}
