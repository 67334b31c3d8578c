using Microsoft.ML.Tokenizers;

namespace ClipSearch.Clip.Tokenization;

/// <summary>CLIP's text preparation before BPE: <see cref="ClipTextCleaner"/>, then Python's <c>str.lower()</c>.</summary>
internal sealed class ClipNormalizer : Normalizer
{
    public static ClipNormalizer Instance { get; } = new();

    public override string Normalize(string original) => PythonText.Lower(ClipTextCleaner.Clean(original));

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());
}
