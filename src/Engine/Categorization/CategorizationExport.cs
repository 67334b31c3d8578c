using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ClipSearch.Engine.Categorization;

/// <summary>
/// Writes categorization results as CSV or JSON, ordered by path: the rows are sorted first (so all of them are
/// held while sorting), then written one at a time and flushed as they go, never built up as one text. The CLI's
/// <c>categorize --export</c> and the Search API's export both write through here; they differ only in the
/// options: the API adds each image's id and names JSON fields in camelCase like the rest of its JSON, the CLI
/// names them in snake_case like its other JSON output.
/// </summary>
public static class CategorizationExport
{
    /// <summary>
    /// CSV (RFC 4180 quoting) with a header line: [id,]path,label,score,runner_up,runner_up_score; a multi-label run adds
    /// also,also_scores: its further labels and their scores, each list joined by '|'.
    /// </summary>
    public static async Task WriteCsvAsync(Stream destination, IEnumerable<Categorized> rows, bool withId, bool multiLabel = false,
        CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(destination, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync((withId ? "id," : "") + "path,label,score,runner_up,runner_up_score" + (multiLabel ? ",also,also_scores\n" : "\n")).ConfigureAwait(false);
        foreach (var r in Ordered(rows))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = withId ? r.Id.ToString() + "," : "";
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                $"{id}{CsvText.Field(r.Path)},{CsvText.Field(r.Label)},{r.Score:0.######},{CsvText.Field(r.RunnerUp ?? "")},{r.RunnerUpScore:0.######}{Also(r)}\n")).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A JSON array of objects: [id,] path, label, score, runner-up and its score (null when there is none), and for a
    /// multi-label run "also", its further labels as {label, score}; scores to 6 decimals.
    /// </summary>
    public static async Task WriteJsonAsync(Stream destination, IEnumerable<Categorized> rows, bool withId, bool camelCase, CancellationToken cancellationToken = default)
    {
        var runnerUp = camelCase ? "runnerUp" : "runner_up";
        var runnerUpScore = camelCase ? "runnerUpScore" : "runner_up_score";
        await using var json = new Utf8JsonWriter(destination);
        json.WriteStartArray();
        foreach (var r in Ordered(rows))
        {
            json.WriteStartObject();
            if (withId)
            {
                json.WriteString("id", r.Id);
            }

            json.WriteString("path", r.Path);
            json.WriteString("label", r.Label);
            json.WriteNumber("score", Math.Round(r.Score, 6));
            json.WriteString(runnerUp, r.RunnerUp);
            if (r.RunnerUpScore is { } s)
            {
                json.WriteNumber(runnerUpScore, Math.Round(s, 6));
            }
            else
            {
                json.WriteNull(runnerUpScore);
            }

            if (r.Also is { } also)
            {
                json.WriteStartArray("also");
                foreach (var a in also)
                {
                    json.WriteStartObject();
                    json.WriteString("label", a.Label);
                    json.WriteNumber("score", Math.Round(a.Score, 6));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            if (json.BytesPending > 32 * 1024)
            {
                await json.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Also(Categorized r) => r.Also is not { } also ? "" : string.Create(CultureInfo.InvariantCulture,
        $",{CsvText.Field(string.Join('|', also.Select(a => a.Label)))},{string.Join('|', also.Select(a => a.Score.ToString("0.######", CultureInfo.InvariantCulture)))}");

    private static IEnumerable<Categorized> Ordered(IEnumerable<Categorized> rows) => rows.OrderBy(r => r.Path, StringComparer.Ordinal);
}
