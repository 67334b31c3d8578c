using System.Text;
using ClipSearch.Clip.Models;
using Microsoft.ML.Tokenizers;

namespace ClipSearch.Clip.Tokenization;

/// <summary>
/// A SentencePiece model (<c>spiece.model</c>, Unigram or BPE) on Microsoft.ML.Tokenizers, with the model family's
/// cleaning and framing. After the cleaning, NFKC is applied as SentencePiece's default normaliser (nmt_nfkc) does
/// inside the reference (Microsoft.ML.Tokenizers 2.0 does not read the model's precompiled normaliser), so that
/// full-width forms and ligatures split as the reference splits them.
/// </summary>
public sealed class SentencePieceTextTokenizer : ITextTokenizer
{
    private readonly SentencePieceTokenizer _model;
    private readonly TextCleaning _cleaning;

    private SentencePieceTextTokenizer(SentencePieceTokenizer model, TextCleaning cleaning, SequenceRule rule)
    {
        _model = model;
        _cleaning = cleaning;
        Rule = rule;
    }

    public SequenceRule Rule { get; }

    public int ContextLength => Rule.ContextLength;

    public int VocabularySize => _model.Vocabulary.Count;

    public string Kind => "SentencePiece";

    /// <summary>
    /// Loads <paramref name="path"/>; the row's special tokens are those <paramref name="config"/> names (a begin token
    /// only when it names one, a closing token, padding with its pad token, else the closing token).
    /// </summary>
    /// <exception cref="ClipModelException">The file is not a SentencePiece model, or a special token is not in it.</exception>
    public static SentencePieceTextTokenizer FromFile(string path, TokenizerConfig config, TextCleaning cleaning, int contextLength)
    {
        SentencePieceTokenizer model;
        try
        {
            using var stream = File.OpenRead(path);
            model = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException
            or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw new ClipModelException(path, $"a SentencePiece model ({e.GetType().Name}: {e.Message})", e);
        }

        int? Id(string? token) => token is null ? null
            : model.Vocabulary.TryGetValue(token, out var id) ? id
            : throw new ClipModelException(path, $"a SentencePiece model holding the special token '{token}' its tokenizer configuration names");
        var end = Id(config.EosToken) ?? model.EndOfSentenceId;
        var begin = config.AddBosToken == false ? null : Id(config.BosToken);
        var rule = new SequenceRule(contextLength, begin, end, Id(config.PadToken) ?? end);
        return new SentencePieceTextTokenizer(model, cleaning, rule);
    }

    public TokenizedText Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = TextCleaner.Clean(text, _cleaning).Normalize(NormalizationForm.FormKC);
        return Rule.Frame(_model.EncodeToIds(normalized, addBeginningOfSentence: false, addEndOfSentence: false));
    }
}
