namespace ClipSearch.Indexer.Output;

/// <summary>The accuracy of one prompt template or ensemble in <c>eval --compare-templates</c>.</summary>
internal sealed record TemplateAccuracyOutput(string Prompts, double Top1, double Top5);
