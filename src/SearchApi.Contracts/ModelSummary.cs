namespace ClipSearch.SearchApi.Contracts;

/// <summary>The model the API runs: what its scores mean and what it can embed.</summary>
/// <param name="ModelId">The id collections record.</param>
/// <param name="Family">"CLIP" (labels compete: probabilities are shares among the labels given) or "SigLIP" (each label is its own yes/no).</param>
/// <param name="Dimension">Embedding dimension.</param>
/// <param name="Scoring">"softmax" or "sigmoid".</param>
/// <param name="HasProbabilities">False for a sigmoid model whose scale and bias are not recorded: it ranks, but gives no probabilities.</param>
/// <param name="DefaultMinProbability">The probability a label needs when no threshold is given (0.5 for sigmoid models), or null.</param>
/// <param name="HasImageTower">False for a text tower alone, which searches collections of the image space it shares.</param>
/// <param name="Languages">The languages its text tower was trained on, when its folder says.</param>
/// <param name="SharedSpaces">The models whose image embeddings its own share (their collections accept its queries).</param>
public sealed record ModelSummary(string ModelId, string Family, int Dimension, string Scoring, bool HasProbabilities, float? DefaultMinProbability,
    bool HasImageTower, IReadOnlyList<string> Languages, IReadOnlyList<string> SharedSpaces);
