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

    [Fact]
    public async Task MultiLabel_CsvAddsTheFurtherLabelsAndScores_JsonAnArray()
    {
        Categorized[] rows =
        [
            new(IdA, "a.jpg", "cat", 0.9f, "sofa", 0.6f, [new("sofa", 0.6f), new("in, doors", 0.55f)]),
            new(IdB, "b.jpg", "", 0.1f, "cat", 0.05f, []),
        ];
        using var csv = new MemoryStream();
        await CategorizationExport.WriteCsvAsync(csv, rows, withId: false, multiLabel: true);
        Assert.Equal(
            "path,label,score,runner_up,runner_up_score,also,also_scores\n" +
            "a.jpg,cat,0.9,sofa,0.6,\"sofa|in, doors\",0.6|0.55\n" +
            "b.jpg,,0.1,cat,0.05,,\n",
            Encoding.UTF8.GetString(csv.ToArray()));

        using var json = new MemoryStream();
        await CategorizationExport.WriteJsonAsync(json, rows, withId: false, camelCase: false);
        var array = JsonDocument.Parse(json.ToArray()).RootElement;
        Assert.Equal(["sofa", "in, doors"], array[0].GetProperty("also").EnumerateArray().Select(a => a.GetProperty("label").GetString()));
        Assert.Equal([0.6, 0.55], array[0].GetProperty("also").EnumerateArray().Select(a => a.GetProperty("score").GetDouble()));
        Assert.Equal(0, array[1].GetProperty("also").GetArrayLength());
        Assert.False((await JsonRowsAsync(Rows))[0].TryGetProperty("also", out _)); // a single-label run has none
    }

    private static async Task<JsonElement[]> JsonRowsAsync(Categorized[] rows)
    {
        using var stream = new MemoryStream();
        await CategorizationExport.WriteJsonAsync(stream, rows, withId: false, camelCase: false);
        return [.. JsonDocument.Parse(stream.ToArray()).RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task<string> CsvAsync(bool withId)
    {
        using var stream = new MemoryStream();
        await CategorizationExport.WriteCsvAsync(stream, Rows, withId);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
