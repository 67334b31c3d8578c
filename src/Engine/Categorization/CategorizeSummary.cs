namespace ClipSearch.Engine.Categorization;

/// <summary>
/// What a categorization run did: images in scope, how many an interrupted earlier run of the same
/// categorization had already finished (not redone), and images per label (unlabelled under "").
/// </summary>
public sealed record CategorizeSummary(string LabelSet, string RunId, int Images, int AlreadyDone, IReadOnlyDictionary<string, int> Distribution,
    double ElapsedSeconds, bool MultiLabel = false)
{
    public int Unlabelled => Distribution.GetValueOrDefault("");

    public double ImagesPerSecond => ElapsedSeconds > 0 ? (Images - AlreadyDone) / ElapsedSeconds : 0;
}
