namespace ClipSearch.Indexer.Output;

/// <summary>The tokenizer of <c>models inspect --json</c>: its kind ("CLIP BPE", "SentencePiece", "tokenizer.json"), file, cleaning and vocabulary size.</summary>
internal sealed record TokenizerOutput(string Kind, string Path, string Cleaning, int VocabularySize);
