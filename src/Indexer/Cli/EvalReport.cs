using System.Globalization;
using System.Net;
using System.Text;
using ClipSearch.Core.Ranking;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Categorization;

namespace ClipSearch.Indexer.Cli;

/// <summary>The files of an eval report: summary (Markdown), per-class accuracy and confusion matrix (CSV), and the matrix as an SVG heatmap.</summary>
internal static class EvalReport
{
    public static void Write(string folder, Evaluation e, string promptSet, double imagesPerSecond, IReadOnlyList<(string Name, Evaluation Result)> comparison,
        RetrievalEvaluation? retrieval = null)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "confusion.csv"), ConfusionCsv(e));
        File.WriteAllText(Path.Combine(folder, "confusion.svg"), Heatmap(e));
        var perClass = new StringBuilder("label,accuracy,images\n");
        foreach (var (label, i) in e.Labels.Select((l, i) => (l, i)))
        {
            var n = Enumerable.Range(0, e.Labels.Count).Sum(j => e.Matrix[i, j]);
            perClass.Append(CultureInfo.InvariantCulture, $"{CsvText.Field(label)},{e.PerClass.GetValueOrDefault(label):0.####},{n}\n");
        }

        File.WriteAllText(Path.Combine(folder, "per-class.csv"), perClass.ToString());
        File.WriteAllText(Path.Combine(folder, "report.md"), Markdown(e, promptSet, imagesPerSecond, comparison, retrieval));
    }

    /// <summary>Several models on the same images: one row each, then per-class accuracy side by side.</summary>
    public static string Comparison(IReadOnlyList<EvalRun> runs, string promptSet)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Zero-shot evaluation: {runs.Count} models\n\n{runs[0].Result.Images} images, {runs[0].Result.Labels.Count} classes, prompts: {promptSet}.\n\n");
        md.Append("| model | family | top-1 | top-5 | images/s |\n|---|---|---|---|---|\n");
        foreach (var r in runs)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Family} | {r.Result.Top1 * 100:0.0}% | {r.Result.Top5 * 100:0.0}% | {r.ImagesPerSecond:0.0} |\n");
        }

        md.Append("\n| class | " + string.Join(" | ", runs.Select(r => r.Name)) + " |\n|---|" + string.Concat(runs.Select(_ => "---|")) + "\n");
        foreach (var label in runs[0].Result.Labels)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {label} | {string.Join(" | ", runs.Select(r => (r.Result.PerClass.GetValueOrDefault(label) * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%"))} |\n");
        }

        return md.ToString();
    }

    /// <summary>The comparison (report.md) and each model's own report in a folder of its own (1-..., 2-..., in the order given).</summary>
    public static void WriteComparison(string folder, IReadOnlyList<EvalRun> runs, string promptSet)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.md"), Comparison(runs, promptSet));
        for (var i = 0; i < runs.Count; i++)
        {
            var name = new string([.. runs[i].Name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_')]);
            Write(Path.Combine(folder, $"{i + 1}-{name}"), runs[i].Result, promptSet, runs[i].ImagesPerSecond, runs[i].Templates);
        }
    }

    public static string Markdown(Evaluation e, string promptSet, double imagesPerSecond, IReadOnlyList<(string Name, Evaluation Result)> comparison,
        RetrievalEvaluation? retrieval = null)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Zero-shot evaluation\n\n{e.Images} images, {e.Labels.Count} classes, prompts: {promptSet}; {imagesPerSecond:0.0} images/s.\n\n");
        md.Append(CultureInfo.InvariantCulture, $"| top-1 | top-5 |\n|---|---|\n| {e.Top1 * 100:0.0}% | {e.Top5 * 100:0.0}% |\n\n");
        if (comparison.Count > 0)
        {
            md.Append("| prompts | top-1 | top-5 |\n|---|---|---|\n");
            foreach (var (name, r) in comparison)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {name} | {r.Top1 * 100:0.0}% | {r.Top5 * 100:0.0}% |\n");
            }

            md.Append('\n');
        }

        md.Append("| class | accuracy |\n|---|---|\n");
        foreach (var (label, accuracy) in e.PerClass.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            md.Append(CultureInfo.InvariantCulture, $"| {label} | {accuracy * 100:0.0}% |\n");
        }

        md.Append("\nMost confused (true -> predicted):\n\n");
        foreach (var c in e.MostConfused)
        {
            md.Append(CultureInfo.InvariantCulture, $"- {c.Truth} -> {c.Predicted}: {c.Count} ({string.Join(", ", c.Examples)})\n");
        }

        if (e.MostConfused.Count == 0)
        {
            md.Append("- none\n");
        }

        if (retrieval is not null)
        {
            md.Append('\n').Append(SearchQuality(retrieval));
        }

        md.Append("\n![confusion matrix](confusion.svg)\n");
        return md.ToString();
    }

    /// <summary>Search quality with each class name as a query, and what each cut-off method shows.</summary>
    public static string SearchQuality(RetrievalEvaluation r)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture,
            $"## Search quality\n\nEach class name as a query over all the images: precision of the first 10 {r.PrecisionAt10 * 100:0.0}%, mean average precision {r.MeanAveragePrecision * 100:0.0}%.\n\n");
        md.Append("| cut-off | precision | recall | F1 | results shown |\n|---|---|---|---|---|\n");
        foreach (var c in r.Cutoffs)
        {
            var name = c.Method.ToString().ToLowerInvariant() + (c.Method == Cutoffs.Default ? " (auto)" : "")
                + (c.Method == CutoffMethod.Calibrated ? string.Create(CultureInfo.InvariantCulture, $" (threshold {r.CalibratedThreshold:0.000})") : "");
            md.Append(CultureInfo.InvariantCulture, $"| {name} | {c.Precision * 100:0.0}% | {c.Recall * 100:0.0}% | {c.F1 * 100:0.0}% | {c.Shown:0.0} |\n");
        }

        return md.ToString();
    }

    private static string ConfusionCsv(Evaluation e)
    {
        var csv = new StringBuilder("true \\ predicted," + string.Join(',', e.Labels.Select(CsvText.Field)) + "\n");
        for (var i = 0; i < e.Labels.Count; i++)
        {
            csv.Append(CsvText.Field(e.Labels[i]));
            for (var j = 0; j < e.Labels.Count; j++)
            {
                csv.Append(CultureInfo.InvariantCulture, $",{e.Matrix[i, j]}");
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Rows: true class; columns: predicted; colour: share of the row (white 0 to dark blue 1); counts in the cells.</summary>
    private static string Heatmap(Evaluation e)
    {
        const int cell = 22;
        const int margin = 150;
        var n = e.Labels.Count;
        var size = margin + (n * cell) + 20;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{size + 20}\" font-family=\"sans-serif\" font-size=\"10\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{size}\" height=\"{size + 20}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{margin}\" y=\"14\" font-size=\"12\">predicted →</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{margin - 6}\" font-size=\"12\">true ↓</text>\n");
        for (var i = 0; i < n; i++)
        {
            var label = WebUtility.HtmlEncode(e.Labels[i]);
            var y = margin + (i * cell);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{margin - 4}\" y=\"{y + 15}\" text-anchor=\"end\">{label}</text>\n");
            var x = margin + (i * cell);
            svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate({x + 15},{margin - 4}) rotate(-60)\">{label}</text>\n");
            var total = Math.Max(1, Enumerable.Range(0, n).Sum(j => e.Matrix[i, j]));
            for (var j = 0; j < n; j++)
            {
                var share = (double)e.Matrix[i, j] / total;
                var shade = (int)Math.Round(255 * (1 - share));
                var fill = string.Create(CultureInfo.InvariantCulture, $"rgb({shade},{shade},255)");
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{margin + (j * cell)}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#ddd\"><title>{label} → {WebUtility.HtmlEncode(e.Labels[j])}: {e.Matrix[i, j]}</title></rect>\n");
                if (e.Matrix[i, j] > 0)
                {
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<text x=\"{margin + (j * cell) + (cell / 2)}\" y=\"{y + 15}\" text-anchor=\"middle\" fill=\"{(share > 0.5 ? "white" : "black")}\">{e.Matrix[i, j]}</text>\n");
                }
            }
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

}
