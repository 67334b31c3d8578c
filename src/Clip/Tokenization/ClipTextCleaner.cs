using System.Text;
using System.Text.RegularExpressions;

namespace ClipSearch.Clip.Tokenization;

/// <summary>
/// The text cleaning of OpenAI's CLIP tokenizer: <c>ftfy.fix_text</c>, <c>html.unescape</c> twice,
/// strip, whitespace runs to one space. ftfy's encoding repair (mojibake such as "cafÃ©") is the one
/// step not reproduced: it needs ftfy's statistical heuristics and is wrong about as often as right.
/// </summary>
internal static partial class ClipTextCleaner
{
    public static string Clean(string text)
    {
        text = FixText(text);
        text = PythonHtml.Unescape(PythonHtml.Unescape(text));
        return CollapseWhitespace(text);
    }

    /// <summary>The parts of ftfy 6's <c>fix_text</c> that apply to text that is already valid Unicode, in ftfy's order.</summary>
    internal static string FixText(string text)
    {
        // ftfy leaves entities alone in text that looks like HTML (unescape_html="auto").
        var unescape = !text.Contains('<', StringComparison.Ordinal);
        for (var round = 0; round < 8; round++)
        {
            var before = text;
            if (unescape)
            {
                text = FtfyEntity().Replace(text, m => UnescapeEntity(m.Value));
            }

            text = FixC1Controls(text);
            text = FixLatinLigatures(text);
            text = FixCharacterWidth(text);
            text = SingleQuote().Replace(text, "'");
            text = DoubleQuote().Replace(text, "\"");
            text = FixLineBreaks(text);
            text = FixSurrogates(text);
            text = TerminalEscape().Replace(text, string.Empty);
            text = RemoveControlChars(text);
            text = text.Normalize(NormalizationForm.FormC);
            if (text == before)
            {
                break;
            }
        }

        return text;
    }

    // ftfy fixes.unescape_html: known "&name;" references, numeric ones, and lower-case names that
    // were upper-cased by accident ("&EACUTE;" -> "É") when that spelling means nothing else.
    private static string UnescapeEntity(string entity)
    {
        if (entity.StartsWith("&#", StringComparison.Ordinal))
        {
            return PythonHtml.Unescape(entity);
        }

        var name = entity[1..];
        if (PythonHtml.TryGetNamed(name, out var value))
        {
            return value;
        }

        var lower = name.ToLowerInvariant();
        return !name.Any(char.IsLower) && PythonHtml.TryGetNamed(lower, out value) && PythonHtml.Unescape(entity) == entity
            ? value.ToUpperInvariant()
            : entity;
    }

    private static string FixC1Controls(string text)
    {
        if (!text.Any(c => c is >= '\u0080' and <= '\u009f'))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(c is >= '\u0080' and <= '\u009f' ? PythonHtml.Windows1252C1[c - 0x80] : c.ToString());
        }

        return sb.ToString();
    }

    private static string FixLatinLigatures(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                'Ĳ' => "IJ",
                'ĳ' => "ij",
                'ŉ' => "ʼn",
                'Ǳ' => "DZ",
                'ǲ' => "Dz",
                'ǳ' => "dz",
                'Ǆ' => "DŽ",
                'ǅ' => "Dž",
                'ǆ' => "dž",
                'Ǉ' => "LJ",
                'ǈ' => "Lj",
                'ǉ' => "lj",
                'Ǌ' => "NJ",
                'ǋ' => "Nj",
                'ǌ' => "nj",
                'ﬀ' => "ff",
                'ﬁ' => "fi",
                'ﬂ' => "fl",
                'ﬃ' => "ffi",
                'ﬄ' => "ffl",
                'ﬅ' => "ſt",
                'ﬆ' => "st",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    // ftfy's WIDTH_MAP: U+3000 to a space, and U+FF01-U+FFEF to their NFKC forms.
    private static string FixCharacterWidth(string text)
    {
        if (!text.Any(c => c == '\u3000' || c is >= '\uff01' and <= '\uffef'))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '\u3000')
            {
                sb.Append(' ');
            }
            else if (c is >= '\uff01' and <= '\uffef')
            {
                sb.Append(c.ToString().Normalize(NormalizationForm.FormKC));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string FixLineBreaks(string text) => text
        .Replace("\r\n", "\n", StringComparison.Ordinal)
        .Replace('\r', '\n')
        .Replace('\u2028', '\n')
        .Replace('\u2029', '\n')
        .Replace('\u0085', '\n');

    private static string FixSurrogates(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
            }
            else
            {
                sb.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return sb.ToString();
    }

    // ftfy chardata CONTROL_CHARS: C0 controls except \t \n \f \r, DEL, deprecated format
    // characters, BOM, interlinear annotation, musical formatting and tag characters.
    private static string RemoveControlChars(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var r in text.EnumerateRunes())
        {
            var v = r.Value;
            var control = v is (>= 0x00 and <= 0x08) or 0x0B or (>= 0x0E and <= 0x1F) or 0x7F
                or (>= 0x206A and <= 0x206F) or 0xFEFF or (>= 0xFFF9 and <= 0xFFFC)
                or (>= 0x1D173 and <= 0x1D17A) or (>= 0xE0000 and <= 0xE007F);
            if (!control)
            {
                sb.Append(r.ToString());
            }
        }

        return sb.ToString();
    }

    internal static string CollapseWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var r in text.EnumerateRunes())
        {
            if (PythonText.IsSpace(r))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(r.ToString());
        }

        return sb.ToString();
    }

    [GeneratedRegex("&#?[0-9A-Za-z]{1,24};")]
    private static partial Regex FtfyEntity();

    [GeneratedRegex("[\u02bc\u2018-\u201b]")]
    private static partial Regex SingleQuote();

    [GeneratedRegex("[\u201c-\u201f]")]
    private static partial Regex DoubleQuote();

    [GeneratedRegex("\u001b\\[((?:\\d|;)*)([a-zA-Z])")]
    private static partial Regex TerminalEscape();
}
