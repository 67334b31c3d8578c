using System.Globalization;
using System.Text;

namespace ClipSearch.Clip.Tokenization;

/// <summary>Python <c>str</c> semantics that .NET does not share, over code points rather than UTF-16 units.</summary>
internal static class PythonText
{
    /// <summary>
    /// Python's <c>str.lower()</c>: full lower-case mapping (U+0130 'İ' becomes "i\u0307") and the
    /// Final_Sigma rule for U+03A3; everything else uses the simple mapping, as in CPython.
    /// </summary>
    public static string Lower(string text)
    {
        var sb = new StringBuilder(text.Length);
        var runes = text.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            var r = runes[i];
            switch (r.Value)
            {
                case 0x0130:
                    sb.Append("i\u0307");
                    break;
                case 0x03A3:
                    sb.Append(IsFinalSigma(runes, i) ? 'ς' : 'σ');
                    break;
                default:
                    sb.Append(Rune.ToLowerInvariant(r).ToString());
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Whitespace as the reference's <c>regex</c> module matches <c>\s</c>: Unicode White_Space plus
    /// the information separators U+001C-U+001F, which Python's <c>str.isspace()</c> also counts.
    /// </summary>
    public static bool IsSpace(Rune r) => Rune.IsWhiteSpace(r) || r.Value is >= 0x1C and <= 0x1F;

    // CPython unicodeobject.c handle_capital_sigma: \p{cased}\p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased}).
    private static bool IsFinalSigma(Rune[] runes, int i)
    {
        var j = i - 1;
        while (j >= 0 && IsCaseIgnorable(runes[j]))
        {
            j--;
        }

        if (j < 0 || !IsCased(runes[j]))
        {
            return false;
        }

        j = i + 1;
        while (j < runes.Length && IsCaseIgnorable(runes[j]))
        {
            j++;
        }

        return j == runes.Length || !IsCased(runes[j]);
    }

    private static bool IsCased(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark
        or UnicodeCategory.EnclosingMark or UnicodeCategory.Format or UnicodeCategory.ModifierLetter
        or UnicodeCategory.ModifierSymbol
        || r.Value is 0x27 or 0x2E or 0x3A or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019
            or 0x2024 or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
}
