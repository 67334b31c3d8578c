namespace ClipSearch.Clip.Tokenization;

/// <summary>
/// How a model's rows are framed around its pieces: an optional opening token, a closing token, then padding to the
/// context. A text too long keeps the opening token, as many pieces as fit, and the closing token.
/// </summary>
/// <param name="ContextLength">Token positions of a row.</param>
/// <param name="Begin">The opening token (CLIP's start-of-text, XLM-R's &lt;s&gt;), or null when there is none (SigLIP).</param>
/// <param name="End">The closing token (end-of-text, &lt;/s&gt;), or null when the pieces already end with it.</param>
/// <param name="Pad">The id the row is padded with (SigLIP pads with &lt;/s&gt;, M-CLIP with &lt;pad&gt;, CLIP with 0).</param>
public sealed record SequenceRule(int ContextLength, int? Begin, int? End, int Pad)
{
    /// <summary>The row for <paramref name="pieces"/> (ids without special tokens).</summary>
    public TokenizedText Frame(IReadOnlyList<int> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var reserved = (Begin is null ? 0 : 1) + (End is null ? 0 : 1);
        var keep = Math.Min(pieces.Count, ContextLength - reserved);
        var row = new long[ContextLength];
        var n = 0;
        if (Begin is { } begin)
        {
            row[n++] = begin;
        }

        for (var i = 0; i < keep; i++)
        {
            row[n++] = pieces[i];
        }

        if (End is { } end)
        {
            row[n++] = end;
        }

        var length = n;
        while (n < ContextLength)
        {
            row[n++] = Pad;
        }

        return new TokenizedText(row, length, pieces.Count > keep);
    }
}
