namespace ClipSearch.Core.ZeroShot;

/// <summary>Probabilities were asked of a model whose files do not say how to compute them; the message says how to fix it.</summary>
public sealed class ZeroShotScoringException : Exception
{
    public ZeroShotScoringException()
    {
    }

    public ZeroShotScoringException(string message)
        : base(message)
    {
    }

    public ZeroShotScoringException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
