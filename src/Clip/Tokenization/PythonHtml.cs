using System.Reflection;
using System.Text;
using System.Text.Json;

namespace ClipSearch.Clip.Tokenization;

/// <summary>
/// Python's <c>html.unescape</c> (CPython Lib/html/__init__.py): HTML5 named references, with the
/// legacy names also accepted without ';' (longest prefix wins), and numeric references with the
/// HTML5 replacements for invalid code points. .NET's WebUtility.HtmlDecode differs on all three.
/// </summary>
internal static class PythonHtml
{
    private static readonly Dictionary<string, string> Entities = LoadEntities();

    /// <summary>Windows-1252 meanings of the C1 range 0x80-0x9F, as html.unescape and ftfy apply them.</summary>
    internal static readonly string[] Windows1252C1 =
    [
        "\u20ac", "\u0081", "\u201a", "\u0192", "\u201e", "\u2026", "\u2020", "\u2021",
        "\u02c6", "\u2030", "\u0160", "\u2039", "\u0152", "\u008d", "\u017d", "\u008f",
        "\u0090", "\u2018", "\u2019", "\u201c", "\u201d", "\u2022", "\u2013", "\u2014",
        "\u02dc", "\u2122", "\u0161", "\u203a", "\u0153", "\u009d", "\u017e", "\u0178",
    ];

    /// <summary>Looks up an HTML5 named reference such as "eacute;" (the name as written after '&amp;').</summary>
    public static bool TryGetNamed(string name, out string value) => Entities.TryGetValue(name, out value!);

    public static string Unescape(string s)
    {
        if (!s.Contains('&', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            var amp = s.IndexOf('&', i);
            if (amp < 0)
            {
                sb.Append(s, i, s.Length - i);
                break;
            }

            sb.Append(s, i, amp - i);
            var end = MatchReference(s, amp + 1);
            if (end < 0)
            {
                sb.Append('&');
                i = amp + 1;
                continue;
            }

            sb.Append(Replace(s.Substring(amp + 1, end - amp - 1)));
            i = end;
        }

        return sb.ToString();
    }

    /// <summary>
    /// Length of the reference after '&amp;' per <c>&amp;(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f &lt;&amp;#;]{1,32};?)</c>;
    /// returns the end index, or -1 when nothing matches.
    /// </summary>
    private static int MatchReference(string s, int start)
    {
        var p = start;
        if (p < s.Length && s[p] == '#')
        {
            p++;
            var hex = p < s.Length && (s[p] == 'x' || s[p] == 'X');
            if (hex)
            {
                p++;
            }

            var digitsStart = p;
            while (p < s.Length && (hex ? char.IsAsciiHexDigit(s[p]) : char.IsAsciiDigit(s[p])))
            {
                p++;
            }

            if (p == digitsStart)
            {
                // "&#x" without digits: the regex falls back to the named alternative, which excludes '#'.
                return -1;
            }

            return p < s.Length && s[p] == ';' ? p + 1 : p;
        }

        while (p < s.Length && p - start < 32 && s[p] is not ('\t' or '\n' or '\f' or ' ' or '<' or '&' or '#' or ';'))
        {
            p++;
        }

        if (p == start)
        {
            return -1;
        }

        return p < s.Length && s[p] == ';' ? p + 1 : p;
    }

    private static string Replace(string reference)
    {
        if (reference[0] == '#')
        {
            var hex = reference.Length > 1 && (reference[1] == 'x' || reference[1] == 'X');
            var digits = reference.AsSpan(hex ? 2 : 1).TrimEnd(';');
            return Numeric(digits, hex);
        }

        if (Entities.TryGetValue(reference, out var value))
        {
            return value;
        }

        for (var x = reference.Length - 1; x > 1; x--)
        {
            if (Entities.TryGetValue(reference[..x], out var prefix))
            {
                return prefix + reference[x..];
            }
        }

        return "&" + reference;
    }

    private static string Numeric(ReadOnlySpan<char> digits, bool hex)
    {
        long num = 0;
        foreach (var c in digits)
        {
            num = (num * (hex ? 16 : 10)) + (char.IsAsciiDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
            if (num > 0x10FFFF)
            {
                return "\uFFFD";
            }
        }

        return num switch
        {
            0x00 => "\uFFFD",
            0x0D => "\r",
            >= 0x80 and <= 0x9F => Windows1252C1[num - 0x80],
            >= 0xD800 and <= 0xDFFF => "\uFFFD",
            (>= 0x01 and <= 0x08) or 0x0B or (>= 0x0E and <= 0x1F) or 0x7F or (>= 0xFDD0 and <= 0xFDEF) => string.Empty,
            _ when (num & 0xFFFE) == 0xFFFE => string.Empty,
            _ => char.ConvertFromUtf32((int)num),
        };
    }

    private static Dictionary<string, string> LoadEntities()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ClipSearch.Clip.Tokenization.html5-entities.json")
            ?? throw new InvalidOperationException("The embedded HTML5 entity table is missing from the build.");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
            ?? throw new InvalidOperationException("The embedded HTML5 entity table is empty.");
    }
}
