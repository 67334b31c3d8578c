namespace ClipSearch.Core.ZeroShot;

/// <summary>The two best labels of an image (indexes into <see cref="ZeroShotClassifier.Labels"/>) and whether it is labelled.</summary>
public readonly record struct TopTwo(int Best, float BestScore, int Second, float SecondScore, bool Labelled);
