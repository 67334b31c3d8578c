namespace ClipSearch.Clip.Tokenization;

/// <summary>A tokenized text ready for a CLIP text tower.</summary>
/// <param name="Ids">SOT, BPE ids, EOT, padding: exactly the context length.</param>
/// <param name="Length">Number of ids before the padding (SOT and EOT included).</param>
/// <param name="Truncated">Whether BPE ids were cut to fit the context.</param>
public sealed record TokenizedText(long[] Ids, int Length, bool Truncated);
