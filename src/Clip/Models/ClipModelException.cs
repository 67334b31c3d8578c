namespace ClipSearch.Clip.Models;

/// <summary>A model folder or model file that cannot be used; the message names the file and what was expected.</summary>
public sealed class ClipModelException : Exception
{
    public ClipModelException(string path, string expected)
        : base($"{path}: expected {expected}.")
    {
        Path = path;
    }

    public ClipModelException(string path, string expected, Exception inner)
        : base($"{path}: expected {expected}.", inner)
    {
        Path = path;
    }

    public ClipModelException()
    {
        Path = string.Empty;
    }

    public ClipModelException(string message)
        : base(message)
    {
        Path = string.Empty;
    }

    /// <summary>The file or folder at fault.</summary>
    public string Path { get; }
}
