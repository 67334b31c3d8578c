using System.Text.Json.Serialization;
using ClipSearch.Engine.Categorization;

namespace ClipSearch.Indexer.Output;

/// <summary>
/// <c>clipsearch categorize --json</c>: the run's summary; <paramref name="Distribution"/> counts images by label, unlabelled ones apart;
/// <paramref name="Cancelled"/> (written only when true) marks a run stopped by a signal, counting the images it labelled.
/// </summary>
internal sealed record CategorizeOutput(string LabelSet, string RunId, bool DryRun, int Images, int AlreadyDone, int Unlabelled,
    IReadOnlyDictionary<string, int> Distribution, double ElapsedSeconds, double ImagesPerSecond,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Cancelled = false)
{
    public static CategorizeOutput From(CategorizeSummary s, bool dryRun, bool cancelled = false) => new(s.LabelSet, s.RunId, dryRun, s.Images, s.AlreadyDone,
        s.Unlabelled, new SortedDictionary<string, int>(s.Distribution.Where(kv => kv.Key.Length > 0).ToDictionary(), StringComparer.Ordinal),
        Math.Round(s.ElapsedSeconds, 3), Math.Round(s.ImagesPerSecond, 1), cancelled);
}
