using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace ClipSearch.Clip.Tokenization;

/// <summary>
/// CLIP's pre-tokenizer regex <c>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>,
/// matched over code points as Python does: a .NET Regex sees UTF-16 units, so letters and digits
/// outside the BMP would split into surrogate halves. Alternatives are tried in order (first match wins).
/// </summary>
internal sealed class ClipPreTokenizer : PreTokenizer
{
    private static readonly string[] Specials = ["<|startoftext|>", "<|endoftext|>"];
    private static readonly string[] Contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    public static ClipPreTokenizer Instance { get; } = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    internal static List<(int Offset, int Length)> Split(string text)
    {
        var pieces = new List<(int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            var length = MatchAt(text, i);
            if (length > 0)
            {
                pieces.Add((i, length));
                i += length;
            }
            else
            {
                i += RuneLength(text, i);
            }
        }

        return pieces;
    }

    private static int MatchAt(string text, int i)
    {
        foreach (var literal in Specials)
        {
            if (string.CompareOrdinal(text, i, literal, 0, literal.Length) == 0)
            {
                return literal.Length;
            }
        }

        foreach (var literal in Contractions)
        {
            if (string.Compare(text, i, literal, 0, literal.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                return literal.Length;
            }
        }

        var first = Rune.GetRuneAt(text, i);
        if (IsLetter(first))
        {
            return RunLength(text, i, IsLetter);
        }

        if (IsNumber(first))
        {
            return first.Utf16SequenceLength;
        }

        return PythonText.IsSpace(first) ? 0 : RunLength(text, i, r => !PythonText.IsSpace(r) && !IsLetter(r) && !IsNumber(r));
    }

    private static int RunLength(string text, int start, Func<Rune, bool> predicate)
    {
        var p = start;
        while (p < text.Length)
        {
            var r = Rune.GetRuneAt(text, p);
            if (!predicate(r))
            {
                break;
            }

            p += r.Utf16SequenceLength;
        }

        return p - start;
    }

    private static int RuneLength(string text, int i) => Rune.GetRuneAt(text, i).Utf16SequenceLength;

    private static bool IsLetter(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
        or UnicodeCategory.OtherLetter;

    private static bool IsNumber(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}
