using ClipSearch.Clip.Models;

namespace ClipSearch.Clip.Tokenization;

/// <summary>Which implementation reads a model's tokenizer file.</summary>
public enum TokenizerKind
{
    /// <summary>CLIP's byte-level BPE from vocab.json + merges.txt (Microsoft.ML.Tokenizers; parity with OpenAI's tokenizer).</summary>
    ClipBpe,

    /// <summary>A SentencePiece model (<c>spiece.model</c>, <c>tokenizer.model</c>; Microsoft.ML.Tokenizers).</summary>
    SentencePiece,

    /// <summary>A Hugging Face <c>tokenizer.json</c> (the reference Rust implementation, through Tokenizers.DotNet).</summary>
    HuggingFace,
}

/// <summary>
/// A text tower's tokenizer as its folder holds it: the file, the implementation that reads it, the special tokens its
/// configuration names, the cleaning the model family's reference applies, and the row length.
/// </summary>
public sealed record TokenizerFiles(TokenizerKind Kind, string Path, string? MergesPath, TokenizerConfig Config, TextCleaning Cleaning, int ContextLength)
{
    /// <summary>
    /// The tokenizer in <paramref name="folder"/>, in this order: CLIP BPE (vocab.json + merges.txt) for CLIP-family
    /// models; <c>spiece.model</c>; <c>tokenizer.json</c>; <c>tokenizer.model</c>. Cleaning: SigLIP's canonicalisation for
    /// SigLIP models, CLIP's for a CLIP BPE tokenizer.json, otherwise whitespace collapsed as immich does.
    /// </summary>
    /// <exception cref="ClipModelException">None of these files is there, or a configuration file is malformed.</exception>
    public static TokenizerFiles Find(string folder, ModelFamily family, bool canonicalize, Func<TokenizerConfig, int> contextLength)
    {
        ArgumentNullException.ThrowIfNull(contextLength);
        var config = TokenizerConfig.Read(System.IO.Path.Combine(folder, "tokenizer_config.json"), System.IO.Path.Combine(folder, "special_tokens_map.json"));
        var context = contextLength(config);
        var cleaning = family == ModelFamily.SigLip || canonicalize ? TextCleaning.Canonicalize : TextCleaning.Whitespace;
        string In(string name) => System.IO.Path.Combine(folder, name);
        if (family == ModelFamily.Clip && File.Exists(In("vocab.json")) && File.Exists(In("merges.txt")))
        {
            return new TokenizerFiles(TokenizerKind.ClipBpe, In("vocab.json"), In("merges.txt"), config, TextCleaning.None, context);
        }

        if (File.Exists(In("spiece.model")))
        {
            return new TokenizerFiles(TokenizerKind.SentencePiece, In("spiece.model"), null, config, cleaning, context);
        }

        if (File.Exists(In("tokenizer.json")))
        {
            // A CLIP BPE tokenizer.json (MobileCLIP's exports) names CLIP's start token; its normaliser lacks ftfy and HTML unescaping.
            var clipBpe = family == ModelFamily.Clip && !canonicalize && (config.BosToken == ClipTokenizer.StartOfTextToken || MentionsStartOfText(In("tokenizer.json")));
            return new TokenizerFiles(TokenizerKind.HuggingFace, In("tokenizer.json"), null, config, clipBpe ? TextCleaning.Clip : cleaning, context);
        }

        if (File.Exists(In("tokenizer.model")))
        {
            return new TokenizerFiles(TokenizerKind.SentencePiece, In("tokenizer.model"), null, config, cleaning, context);
        }

        throw new ClipModelException(folder,
            "a tokenizer beside the text model: vocab.json + merges.txt (CLIP BPE), spiece.model or tokenizer.model (SentencePiece), or tokenizer.json (Hugging Face); found none");
    }

    /// <summary>Loads the tokenizer, framing rows as <paramref name="family"/> was trained (SigLIP: pieces, the closing token, padding; no opening token).</summary>
    /// <exception cref="ClipModelException">The file cannot be read as its kind, or a special token it needs is missing.</exception>
    public ITextTokenizer Open(ModelFamily family) => Kind switch
    {
        TokenizerKind.ClipBpe => ClipTokenizer.FromFiles(Path, MergesPath!, ContextLength),
        TokenizerKind.SentencePiece => SentencePieceTextTokenizer.FromFile(Path, family == ModelFamily.SigLip ? Config with { AddBosToken = false } : Config, Cleaning, ContextLength),
        _ => HuggingFaceTextTokenizer.FromFile(Path, Config, Cleaning, ContextLength, family == ModelFamily.SigLip ? SigLipRule : null),
    };

    /// <summary>SigLIP's rows: no opening token, pieces, the end-of-sequence token, padded with the pad token (else the closing one).</summary>
    private SequenceRule SigLipRule(IReadOnlyDictionary<string, int> vocabulary)
    {
        int? Id(string? token) => token is not null && vocabulary.TryGetValue(token, out var id) ? id : null;
        var end = Id(Config.EosToken) ?? Id("</s>") ?? Id("<eos>")
            ?? throw new ClipModelException(Path, "a SigLIP tokenizer with an end-of-sequence token (eos_token in tokenizer_config.json, or </s> or <eos>)");
        return new SequenceRule(ContextLength, null, end, Id(Config.PadToken) ?? end);
    }

    private static bool MentionsStartOfText(string path)
    {
        // The token is among the first added_tokens entries of a CLIP tokenizer.json; read a bounded head, not the vocabulary.
        using var stream = File.OpenRead(path);
        var buffer = new byte[Math.Min(stream.Length, 64 * 1024)];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, read).Contains(ClipTokenizer.StartOfTextToken, StringComparison.Ordinal);
    }
}
