namespace ClipSearch.Clip.Tokenization;

/// <summary>A tokenized text ready for a text tower.</summary>
/// <param name="Ids">The row: special tokens, pieces, padding; exactly the context length.</param>
/// <param name="Length">Number of ids before the padding (special tokens included): the attention mask's ones.</param>
/// <param name="Truncated">Whether pieces were cut to fit the context.</param>
public sealed record TokenizedText(long[] Ids, int Length, bool Truncated);
