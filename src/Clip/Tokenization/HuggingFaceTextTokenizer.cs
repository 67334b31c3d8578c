using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClipSearch.Clip.Models;

namespace ClipSearch.Clip.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> run by the reference implementation (Rust <c>tokenizers</c>, through
/// Tokenizers.DotNet): its normaliser, pre-tokenizer, model and post-processor as published. The row's context and
/// padding are the model's (the file's own padding and truncation sections are left out, so that a text too long keeps
/// its closing token); the special tokens the post-processor adds frame the row.
/// </summary>
public sealed class HuggingFaceTextTokenizer : ITextTokenizer, IDisposable
{
    private readonly Tokenizers.DotNet.Tokenizer _tokenizer;
    private readonly TextCleaning _cleaning;
    private readonly (int? Begin, int? End) _added;
    private readonly Lock _gate = new();

    private HuggingFaceTextTokenizer(Tokenizers.DotNet.Tokenizer tokenizer, TextCleaning cleaning, (int? Begin, int? End) added, SequenceRule rule,
        int vocabularySize)
    {
        _tokenizer = tokenizer;
        _cleaning = cleaning;
        _added = added;
        Rule = rule;
        VocabularySize = vocabularySize;
    }

    public SequenceRule Rule { get; }

    public int ContextLength => Rule.ContextLength;

    public int VocabularySize { get; }

    public string Kind => "tokenizer.json";

    /// <summary>
    /// Loads <paramref name="path"/>. The row is framed as <paramref name="rule"/> says when the model family knows its
    /// frame (SigLIP: pieces, then the closing token, padded), else as the file's post-processor frames an empty text,
    /// padded with <paramref name="config"/>'s pad token.
    /// </summary>
    /// <exception cref="ClipModelException">The file is not a tokenizer.json the library reads, or a named token is not in it.</exception>
    public static HuggingFaceTextTokenizer FromFile(string path, TokenizerConfig config, TextCleaning cleaning, int contextLength,
        Func<IReadOnlyDictionary<string, int>, SequenceRule>? rule = null)
    {
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ClipModelException(path, $"a readable tokenizer.json ({e.Message})", e);
        }

        var vocabulary = Vocabulary(root);
        Tokenizers.DotNet.Tokenizer tokenizer;
        try
        {
            tokenizer = new Tokenizers.DotNet.Tokenizer(WithoutPaddingAndTruncation(root, path));
        }
        catch (Tokenizers.DotNet.TokenizerException e)
        {
            throw new ClipModelException(path, $"a tokenizer.json the Hugging Face tokenizers library reads ({e.Message})", e);
        }

        // What the post-processor puts around an empty text: taken off every encoding, then the row framed by the rule.
        var frame = tokenizer.Encode(string.Empty);
        (int? Begin, int? End) added = frame.Length switch
        {
            >= 2 => ((int)frame[0], (int)frame[^1]),
            1 when vocabulary.TryGetValue(config.BosToken ?? "\0", out var bos) && bos == frame[0] => ((int)frame[0], null),
            1 => (null, (int)frame[0]),
            _ => (null, null),
        };
        int? pad = config.PadToken is { } padToken
            ? vocabulary.TryGetValue(padToken, out var id) ? id : throw new ClipModelException(path, $"a vocabulary holding the pad token '{padToken}'")
            : null;
        var sequence = rule?.Invoke(vocabulary) ?? new SequenceRule(contextLength, added.Begin, added.End, pad ?? added.End ?? 0);
        return new HuggingFaceTextTokenizer(tokenizer, cleaning, added, sequence, vocabulary.Count);
    }

    public TokenizedText Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        uint[] ids;
        lock (_gate)
        {
            // One native tokenizer handle is not documented as safe for concurrent calls.
            ids = _tokenizer.Encode(TextCleaner.Clean(text, _cleaning));
        }

        var from = _added.Begin is { } b && ids.Length > 0 && ids[0] == b ? 1 : 0;
        var to = _added.End is { } e && ids.Length > from && ids[^1] == e ? ids.Length - 1 : ids.Length;
        var pieces = new int[to - from];
        for (var i = 0; i < pieces.Length; i++)
        {
            pieces[i] = (int)ids[from + i];
        }

        return Rule.Frame(pieces);
    }

    public void Dispose() => _tokenizer.Dispose();

    /// <summary>Token -> id: the added (special) tokens, then the model's vocabulary (a map for BPE/WordPiece/WordLevel, a list of [piece, score] for Unigram).</summary>
    private static Dictionary<string, int> Vocabulary(JsonNode root)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        switch (root["model"]?["vocab"])
        {
            case JsonObject map:
                foreach (var (piece, id) in map)
                {
                    vocabulary[piece] = id!.GetValue<int>();
                }

                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is JsonArray { Count: > 0 } entry && entry[0]?.GetValue<string>() is { } piece)
                    {
                        vocabulary.TryAdd(piece, i);
                    }
                }

                break;
        }

        foreach (var token in root["added_tokens"] as JsonArray ?? [])
        {
            if (token?["content"]?.GetValue<string>() is { } content && token["id"] is { } id)
            {
                vocabulary[content] = id.GetValue<int>();
            }
        }

        return vocabulary;
    }

    /// <summary>The file without its padding and truncation (this class frames rows itself), as a copy in the temp folder.</summary>
    private static string WithoutPaddingAndTruncation(JsonNode root, string path)
    {
        if (root["padding"] is null && root["truncation"] is null)
        {
            return path;
        }

        root["padding"] = null;
        root["truncation"] = null;
        var text = root.ToJsonString();
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "clipsearch-tokenizers")).FullName;
        var copy = Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..32] + ".json");
        if (!File.Exists(copy))
        {
            var temp = copy + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(temp, text);
            File.Move(temp, copy, overwrite: true);
        }

        return copy;
    }
}
