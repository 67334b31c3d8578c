using System.Text.Json;
using ClipSearch.Clip.Models;
using Microsoft.ML.Tokenizers;

namespace ClipSearch.Clip.Tokenization;

/// <summary>
/// OpenAI CLIP's tokenizer on Microsoft.ML.Tokenizers' byte-level BPE: ftfy-style cleaning, HTML
/// unescape, whitespace collapse and Python lower-casing (<see cref="ClipNormalizer"/>), CLIP's
/// code-point pre-tokenizer, merges with the <c>&lt;/w&gt;</c> end-of-word suffix, then SOT + ids + EOT
/// in a fixed context (truncated to SOT + the first context-2 ids + EOT). Thread-safe.
/// </summary>
public sealed class ClipTokenizer : ITextTokenizer
{
    public const string StartOfTextToken = "<|startoftext|>";
    public const string EndOfTextToken = "<|endoftext|>";
    public const int DefaultContextLength = 77;

    private readonly BpeTokenizer _bpe;

    private ClipTokenizer(BpeTokenizer bpe, int startOfText, int endOfText, int contextLength)
    {
        _bpe = bpe;
        StartOfText = startOfText;
        EndOfText = endOfText;
        ContextLength = contextLength;
    }

    /// <summary>Token positions of a row (77 for CLIP).</summary>
    public int ContextLength { get; }

    public string Kind => "CLIP BPE";

    /// <summary>Id of <c>&lt;|startoftext|&gt;</c> (49406 in CLIP's vocabulary).</summary>
    public int StartOfText { get; }

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c> (49407 in CLIP's vocabulary).</summary>
    public int EndOfText { get; }

    /// <summary>Number of entries in the vocabulary.</summary>
    public int VocabularySize => _bpe.Vocabulary.Count;

    /// <summary>Loads a Hugging Face CLIP tokenizer pair (vocab.json, merges.txt).</summary>
    /// <exception cref="ClipModelException">A file is missing or is not a CLIP vocabulary.</exception>
    public static ClipTokenizer FromFiles(string vocabPath, string mergesPath, int contextLength = DefaultContextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 2);
        Dictionary<string, int> vocab;
        try
        {
            using var stream = File.OpenRead(vocabPath);
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(stream)
                ?? throw new ClipModelException(vocabPath, "a JSON object mapping tokens to ids, found null");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ClipModelException(vocabPath, $"a readable JSON vocabulary ({e.GetType().Name}: {e.Message})");
        }

        if (!vocab.TryGetValue(StartOfTextToken, out var sot) || !vocab.TryGetValue(EndOfTextToken, out var eot))
        {
            throw new ClipModelException(vocabPath, $"a CLIP vocabulary containing {StartOfTextToken} and {EndOfTextToken}");
        }

        List<string> merges;
        try
        {
            merges = File.ReadLines(mergesPath)
                .Where(line => line.Length > 0 && !line.StartsWith("#version", StringComparison.Ordinal))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClipModelException(mergesPath, $"a readable BPE merges file ({e.GetType().Name}: {e.Message})");
        }

        var options = new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            EndOfWordSuffix = "</w>",
            Normalizer = ClipNormalizer.Instance,
            PreTokenizer = ClipPreTokenizer.Instance,
            SpecialTokens = new Dictionary<string, int> { [StartOfTextToken] = sot, [EndOfTextToken] = eot },
        };
        return new ClipTokenizer(BpeTokenizer.Create(options), sot, eot, contextLength);
    }

    /// <summary>The BPE ids of <paramref name="text"/>, without start/end tokens (the reference's <c>SimpleTokenizer.encode</c>).</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _bpe.EncodeToIds(text);
    }

    /// <summary>One row of <see cref="ContextLength"/> ids, padded with 0 (the reference's <c>clip.tokenize(text, truncate=True)</c>).</summary>
    public TokenizedText Tokenize(string text) => Tokenize(text, ContextLength);

    /// <summary>
    /// One model input row (the reference's <c>clip.tokenize(text, truncate=True)</c>): SOT, ids, EOT,
    /// then <paramref name="padId"/> up to <paramref name="contextLength"/>; too long a text keeps
    /// SOT + its first contextLength-2 ids + EOT.
    /// </summary>
    public TokenizedText Tokenize(string text, int contextLength, int padId = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 2);
        var ids = Encode(text);
        var keep = Math.Min(ids.Count, contextLength - 2);
        var row = new long[contextLength];
        row[0] = StartOfText;
        for (var i = 0; i < keep; i++)
        {
            row[i + 1] = ids[i];
        }

        row[keep + 1] = EndOfText;
        for (var i = keep + 2; i < contextLength; i++)
        {
            row[i] = padId;
        }

        return new TokenizedText(row, keep + 2, ids.Count > keep);
    }
}
