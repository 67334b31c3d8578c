namespace ClipSearch.Indexer.Output;

/// <summary>
/// One line of <c>clipsearch embed</c>: the L2-normalised embedding as float32 values (written as floats, not
/// widened to doubles). Parity with other CLIP implementations is checked on this line.
/// </summary>
internal sealed record EmbedOutput(string Kind, string Input, IReadOnlyList<float> Embedding);
