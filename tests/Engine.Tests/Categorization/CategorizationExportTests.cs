using System.Text;
using System.Text.Json;
using ClipSearch.Engine.Categorization;

namespace ClipSearch.Engine.Tests.Categorization;

/// <summary>The one categorization exporter behind the CLI's --export and the API's export: order, quoting, fields per option.</summary>
public sealed class CategorizationExportTests
{
    private static readonly Guid IdA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid IdB = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    private static readonly Categorized[] Rows =
    [
        new(IdB, "z/last.jpg", "dog", 0.5f, null, null),
        new(IdA, "a/first, \"quoted\".jpg", "cat", 0.123456789f, "dog", 0.25f),
    ];

    [Fact]
    public async Task Csv_OrderedByPath_FieldsQuotedPerRfc4180_IdOnlyWhenAsked()
    {
        var plain = await CsvAsync(withId: false);
        Assert.Equal(
            "path,label,score,runner_up,runner_up_score\n" +
            "\"a/first, \"\"quoted\"\".jpg\",cat,0.123457,dog,0.25\n" +
            "z/last.jpg,dog,0.5,,\n",
            plain);

        var withId = await CsvAsync(withId: true);
        Assert.StartsWith("id,path,label,", withId, StringComparison.Ordinal);
        Assert.Contains($"\n{IdA},\"a/first", withId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "runner_up", "runner_up_score")]
    [InlineData(true, "runnerUp", "runnerUpScore")]
    public async Task Json_NamesFollowTheOption_NullWhenNoRunnerUp(bool camelCase, string runnerUp, string runnerUpScore)
    {
        using var stream = new MemoryStream();
        await CategorizationExport.WriteJsonAsync(stream, Rows, withId: camelCase, camelCase);
        var array = JsonDocument.Parse(stream.ToArray()).RootElement;
        Assert.Equal(2, array.GetArrayLength());
        var first = array[0];
        Assert.Equal("a/first, \"quoted\".jpg", first.GetProperty("path").GetString());
        Assert.Equal(0.123457, first.GetProperty("score").GetDouble());
        Assert.Equal("dog", first.GetProperty(runnerUp).GetString());
        Assert.Equal(0.25, first.GetProperty(runnerUpScore).GetDouble());
        Assert.Equal(JsonValueKind.Null, array[1].GetProperty(runnerUp).ValueKind);
        Assert.Equal(JsonValueKind.Null, array[1].GetProperty(runnerUpScore).ValueKind);
        Assert.Equal(camelCase, first.TryGetProperty("id", out _));
    }

    private static async Task<string> CsvAsync(bool withId)
    {
        using var stream = new MemoryStream();
        await CategorizationExport.WriteCsvAsync(stream, Rows, withId);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
