using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

public sealed class TokenizeCommandTests
{
    [Fact]
    public async Task Tokenize_ReferenceCases_PrintsReferenceContextRows()
    {
        using var cases = JsonDocument.Parse(File.ReadAllText(TestPaths.Data("reference", "clip-tokenizer-cases.json")));
        var picked = cases.RootElement.EnumerateArray().Take(5).ToList();
        var (exit, stdout, _) = await CliRunner.RunAsync(["tokenize", .. picked.Select(c => c.GetProperty("text").GetString()!)]);
        Assert.Equal(0, exit);
        var lines = CliRunner.Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(picked.Count, lines.Count);
        for (var i = 0; i < picked.Count; i++)
        {
            Assert.Equal(picked[i].GetProperty("text").GetString(), lines[i].GetProperty("text").GetString());
            Assert.Equal(
                picked[i].GetProperty("context77").EnumerateArray().Select(e => e.GetInt32()),
                lines[i].GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()));
            Assert.False(lines[i].GetProperty("truncated").GetBoolean());
        }
    }

    [Fact]
    public async Task Tokenize_LongText_IsTruncatedTo77()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("tokenize", string.Join(' ', Enumerable.Repeat("red star", 60)));
        Assert.Equal(0, exit);
        var line = JsonDocument.Parse(stdout).RootElement;
        var ids = line.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.Equal(77, ids.Count);
        Assert.Equal(49407, ids[^1]);
        Assert.True(line.GetProperty("truncated").GetBoolean());
    }
}
