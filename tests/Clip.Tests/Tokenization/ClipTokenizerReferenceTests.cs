using System.Text.Json;
using ClipSearch.Clip.Tokenization;
using ClipSearch.Tests.Shared;
using Xunit.Abstractions;

namespace ClipSearch.Clip.Tests.Tokenization;

/// <summary>Compares the tokenizer with OpenAI's reference outputs (tests/data/reference/clip-tokenizer-cases.json).</summary>
public sealed class ClipTokenizerReferenceTests(ITestOutputHelper output)
{
    // Two cases are mojibake ("cafÃ©") that only ftfy's statistical encoding repair fixes.
    private const int AllowedMismatches = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly ClipTokenizer Tokenizer = ClipTokenizer.FromFiles(
        Path.Combine(TestPaths.TinyClip, "vocab.json"), Path.Combine(TestPaths.TinyClip, "merges.txt"));

    [Fact]
    public void Encode_ReferenceCases_MatchAtLeast470Of472()
    {
        var cases = LoadCases();
        var mismatches = new List<string>();
        foreach (var c in cases)
        {
            var ids = Tokenizer.Encode(c.Text);
            var row = Tokenizer.Tokenize(c.Text).Ids;
            if (!ids.SequenceEqual(c.Ids) || !row.SequenceEqual(c.Context77.Select(v => (long)v)))
            {
                mismatches.Add($"{JsonSerializer.Serialize(c.Text)}: expected [{string.Join(",", c.Ids)}] got [{string.Join(",", ids)}]");
            }
        }

        foreach (var m in mismatches)
        {
            output.WriteLine(m);
        }

        Assert.Equal(472, cases.Count);
        Assert.True(mismatches.Count <= AllowedMismatches, $"{mismatches.Count} mismatches:\n{string.Join("\n", mismatches.Take(20))}");
    }

    [Fact]
    public void Tokenize_LongText_KeepsStartFirst75IdsAndEnd()
    {
        var text = string.Join(' ', Enumerable.Repeat("dog", 100));
        var t = Tokenizer.Tokenize(text);
        Assert.True(t.Truncated);
        Assert.Equal(77, t.Ids.Length);
        Assert.Equal(49406, t.Ids[0]);
        Assert.Equal(49407, t.Ids[76]);
        Assert.All(t.Ids[1..76], id => Assert.Equal(1929, id)); // "dog</w>"
    }

    [Fact]
    public void Tokenize_ShortText_PadsWithRequestedId()
    {
        var t = Tokenizer.Tokenize("a dog", 77, padId: 49407);
        Assert.False(t.Truncated);
        Assert.Equal(4, t.Length);
        Assert.Equal([49406, 320, 1929, 49407, 49407], t.Ids[..5]);
    }

    private static List<TokenizerCase> LoadCases()
    {
        using var stream = File.OpenRead(TestPaths.Data("reference", "clip-tokenizer-cases.json"));
        return JsonSerializer.Deserialize<List<TokenizerCase>>(stream, Json)!;
    }

    private sealed record TokenizerCase(string Text, int[] Ids, int[] Context77);
}
