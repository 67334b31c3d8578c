namespace ClipSearch.SearchApi.Contracts;

/// <summary>A named ensemble of prompt templates ({} stands for the label).</summary>
public sealed record PromptEnsemble(string Name, IReadOnlyList<string> Templates);
