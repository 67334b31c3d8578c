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
    // ModelProto field 2 (trainer_spec), 3 bytes: TrainerSpec field 41 (bos_id) = 0. Protobuf merges a repeated
    // message field into the one before it, so appending this overrides bos_id alone.
    private static readonly byte[] NoBeginToken = [0x12, 0x03, 0xC8, 0x02, 0x00];

    private readonly SentencePieceTokenizer _model;
    private readonly TextCleaning _cleaning;

    private SentencePieceTextTokenizer(SentencePieceTokenizer model, TextCleaning cleaning, SequenceRule rule)
    {
        _model = model;
        _cleaning = cleaning;
        Rule = rule;
    }

    public SequenceRule Rule { get; }

    private static SentencePieceTokenizer Create(byte[] model)
    {
        using var stream = new MemoryStream(model, writable: false);
        return SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
    }

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
            var bytes = File.ReadAllBytes(path);
            try
            {
                model = Create(bytes);
            }
            catch (IndexOutOfRangeException)
            {
                // Microsoft.ML.Tokenizers 2.0.1 indexes its reverse vocabulary with the model's bos_id, which T5-style models
                // (SigLIP's spiece.model) set to -1: they have no begin token. Give it id 0; rows never carry it (the begin
                // token comes from the tokenizer configuration), and encoding does not read it.
                model = Create([.. bytes, .. NoBeginToken]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException
            or IndexOutOfRangeException or Google.Protobuf.InvalidProtocolBufferException)
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
        return Rule.Frame(MergeUnknownRuns(_model.EncodeToIds(normalized, addBeginningOfSentence: false, addEndOfSentence: false), _model.UnknownId));
    }

    /// <summary>
    /// One unknown id for a run of unknown characters, as the reference SentencePiece encodes them (Microsoft.ML.Tokenizers
    /// gives one per character, or per UTF-8 byte).
    /// </summary>
    internal static IReadOnlyList<int> MergeUnknownRuns(IReadOnlyList<int> ids, int unknown)
    {
        var merged = new List<int>(ids.Count);
        foreach (var id in ids)
        {
            if (id != unknown || merged.Count == 0 || merged[^1] != unknown)
            {
                merged.Add(id);
            }
        }

        return merged;
    }
}
