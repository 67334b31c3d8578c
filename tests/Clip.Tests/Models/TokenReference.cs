using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Clip.Tests.Models;

/// <summary>
/// A tokenizer reference of tests/data/reference (python sentencepiece's rows for at least 300 strings, written by the
/// training scripts of tools/tiny-clip) against the rows a loaded model's tokenizer makes.
/// </summary>
internal static class TokenReference
{
    public static void AssertMatches(ClipModel model, string referenceFile)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Data("reference", referenceFile)));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToList();
        var mismatches = new List<string>();
        foreach (var c in cases)
        {
            var text = c.GetProperty("text").GetString()!;
            var expected = c.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var row = model.Tokenizer.Tokenize(text);
            if (!row.Ids.SequenceEqual(expected) || row.Length != c.GetProperty("ids").GetArrayLength())
            {
                mismatches.Add($"{JsonSerializer.Serialize(text)}: expected [{string.Join(",", expected.Take(20))}] got [{string.Join(",", row.Ids.Take(20))}] (length {row.Length})");
            }
        }

        Assert.True(cases.Count >= 300, $"only {cases.Count} reference cases");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases.Count} differ:\n{string.Join("\n", mismatches.Take(10))}");
    }
}
