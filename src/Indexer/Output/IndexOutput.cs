using System.Text.Json.Serialization;
using ClipSearch.Indexing;

namespace ClipSearch.Indexer.Output;

/// <summary>
/// <c>clipsearch index --json</c>: one object per pass; <paramref name="Skipped"/> counts skipped files by reason;
/// <paramref name="Cancelled"/> (written only when true) marks a pass stopped by a signal, counting what it wrote.
/// </summary>
internal sealed record IndexOutput(int Indexed, int Unchanged, int Updated, int Moved, int Deleted, IReadOnlyDictionary<string, int> Skipped,
    double ElapsedSeconds, double ImagesPerSecond, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Cancelled = false)
{
    public static IndexOutput From(IndexSummary s, bool cancelled = false) => new(s.Indexed, s.Unchanged, s.Updated, s.Moved, s.Deleted, s.Skipped,
        Math.Round(s.ElapsedSeconds, 3), Math.Round(s.ImagesPerSecond, 2), cancelled);
}
