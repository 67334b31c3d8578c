namespace ClipSearch.Clip.Tokenization;

/// <summary>
/// Turns texts into exactly the rows a model's text tower was trained on: its cleaning, its pieces, its special tokens,
/// its fixed context (padded with its pad id, truncated keeping the closing token). Thread-safe.
/// </summary>
public interface ITextTokenizer
{
    /// <summary>Token positions of a row.</summary>
    int ContextLength { get; }

    /// <summary>Entries in the vocabulary (for reports).</summary>
    int VocabularySize { get; }

    /// <summary>What the tokenizer is (for reports): "CLIP BPE", "SentencePiece", "tokenizer.json".</summary>
    string Kind { get; }

    TokenizedText Tokenize(string text);
}
