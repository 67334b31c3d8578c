namespace ClipSearch.Indexer.Output;

/// <summary>One model's (or variant's) result in <c>eval --model A --model B --json</c>.</summary>
internal sealed record EvalModelOutput(string Model, string? Variant, string Family, int Images, double Top1, double Top5, double ImagesPerSecond,
    IReadOnlyDictionary<string, double> PerClass);
