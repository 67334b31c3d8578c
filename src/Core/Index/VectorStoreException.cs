namespace ClipSearch.Core.Index;

/// <summary>
/// The one exception type every vector-store backend throws; <see cref="Kind"/> says what went wrong. <see cref="Exception.Message"/>
/// is for the operator (it may name the store's folder or server and the library's own error); <see cref="PublicMessage"/> is
/// the same fact worded for a remote client, without server paths, addresses or library text.
/// </summary>
public sealed class VectorStoreException : Exception
{
    public VectorStoreException(VectorStoreErrorKind kind, string message, Exception? inner = null)
        : this(kind, message, message, inner)
    {
    }

    public VectorStoreException(VectorStoreErrorKind kind, string message, string publicMessage, Exception? inner)
        : base(message, inner)
    {
        Kind = kind;
        PublicMessage = publicMessage;
    }

    public VectorStoreException()
    {
        PublicMessage = Message;
    }

    public VectorStoreException(string message)
        : base(message)
    {
        PublicMessage = message;
    }

    public VectorStoreException(string message, Exception inner)
        : base(message, inner)
    {
        PublicMessage = message;
    }

    public VectorStoreErrorKind Kind { get; } = VectorStoreErrorKind.Failed;

    /// <summary>What a remote client may be told: <see cref="Exception.Message"/> without the server's paths, addresses or library text.</summary>
    public string PublicMessage { get; }
}
