using ClipSearch.Core.Ranking;

namespace ClipSearch.Engine.Search;

/// <summary>The words the CLI and the API take for a search's cut-off, order and mode, read the same way by both.</summary>
public static class ResultOptions
{
    public const string CutoffNames = "none, auto, jump, relative, calibrated";

    public const string SortNames = "score, taken, modified, name";

    public const string ModeNames = "hybrid, semantic, keyword";

    /// <exception cref="ArgumentException">Not one of <see cref="CutoffNames"/>.</exception>
    public static CutoffMethod Cutoff(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "none" => CutoffMethod.None,
        "auto" => Cutoffs.Default,
        "jump" => CutoffMethod.Jump,
        "relative" => CutoffMethod.Relative,
        "calibrated" => CutoffMethod.Calibrated,
        _ => throw new ArgumentException($"cutoff '{value}' is not one of: {CutoffNames}."),
    };

    /// <exception cref="ArgumentException">Not one of <see cref="SortNames"/>.</exception>
    public static ResultOrder Sort(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "score" => ResultOrder.Score,
        "taken" or "date" => ResultOrder.Taken,
        "modified" => ResultOrder.Modified,
        "name" => ResultOrder.Name,
        _ => throw new ArgumentException($"sort '{value}' is not one of: {SortNames}."),
    };

    /// <exception cref="ArgumentException">Not one of <see cref="ModeNames"/>.</exception>
    public static SearchMode Mode(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "hybrid" => SearchMode.Hybrid,
        "semantic" => SearchMode.Semantic,
        "keyword" => SearchMode.Keyword,
        _ => throw new ArgumentException($"mode '{value}' is not one of: {ModeNames}."),
    };

    /// <exception cref="ArgumentException">Not a number from 0 to 1.</exception>
    public static float Diversity(float? value) => value switch
    {
        null => 0f,
        >= 0f and <= 1f => value.Value,
        _ => throw new ArgumentException($"diversity {value} is not between 0 and 1."),
    };
}
