using System.Text;

namespace ClipSearch.Clip.Tokenization;

/// <summary>The text clean-up a model family's reference applies before its tokenizer.</summary>
public enum TextCleaning
{
    /// <summary>Nothing beyond what the tokenizer itself does (OpenAI CLIP's cleaning lives in its tokenizer).</summary>
    None,

    /// <summary>Whitespace collapsed to single spaces, ends trimmed (immich's clean_text for M-CLIP and open_clip models).</summary>
    Whitespace,

    /// <summary>
    /// SigLIP's: Python-lower-cased, every ASCII punctuation character removed (Python's <c>string.punctuation</c>),
    /// whitespace collapsed and trimmed (transformers' SiglipTokenizer, open_clip's <c>canonicalize_text</c>).
    /// </summary>
    Canonicalize,

    /// <summary>
    /// OpenAI CLIP's (ftfy-style fixes, HTML unescaped, whitespace collapsed, Python-lower-cased), for a CLIP BPE
    /// tokenizer.json, whose own normaliser lacks the first two.
    /// </summary>
    Clip,
}

/// <summary>Applies a <see cref="TextCleaning"/>.</summary>
public static class TextCleaner
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public static string Clean(string text, TextCleaning cleaning)
    {
        ArgumentNullException.ThrowIfNull(text);
        return cleaning switch
        {
            TextCleaning.Whitespace => CollapseWhitespace(text),
            TextCleaning.Canonicalize => CollapseWhitespace(RemovePunctuation(PythonText.Lower(text))),
            TextCleaning.Clip => ClipNormalizer.Instance.Normalize(text),
            _ => text,
        };
    }

    /// <summary>Python's <c>re.sub(r"\s+", " ", text).strip()</c> (the same as <c>" ".join(text.split())</c>).</summary>
    private static string CollapseWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var r in text.EnumerateRunes())
        {
            if (PythonText.IsSpace(r))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(r.ToString());
        }

        return sb.ToString();
    }

    private static string RemovePunctuation(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!Punctuation.Contains(c, StringComparison.Ordinal))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
