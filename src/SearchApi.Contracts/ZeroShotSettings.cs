namespace ClipSearch.SearchApi.Contracts;

/// <summary>Labels and how they are turned into prompts, shared by classification and categorization.</summary>
public record ZeroShotSettings
{
    /// <summary>The classes (at least two, different).</summary>
    /// <example>["cat", "dog", "bird"]</example>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>One prompt template with {} for the label, e.g. "a photo of a {}, a type of pet.".</summary>
    public string? Template { get; init; }

    /// <summary>A named ensemble of templates (see <c>GET /api/prompts</c>); "photo" by default.</summary>
    /// <example>photo</example>
    public string? Ensemble { get; init; }

    /// <summary>Per-label prompts replacing the template's, e.g. {"boxer": ["a photo of a boxer, a type of dog."]}.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Prompts { get; init; }

    /// <summary>"None of these" when the best label's cosine similarity is below this.</summary>
    public float? MinScore { get; init; }

    /// <summary>"None of these" when the best label beats the runner-up by less than this (cosine).</summary>
    public float? MinMargin { get; init; }

    /// <summary>
    /// "None of these" when the best label's probability is below this. When no threshold is given, a sigmoid model (SigLIP)
    /// uses 0.5 (each label is its own yes/no) and a CLIP model none; 0 turns it off.
    /// </summary>
    public float? MinProbability { get; init; }
}
