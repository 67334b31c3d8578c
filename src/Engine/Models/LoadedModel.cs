namespace ClipSearch.Engine.Models;

/// <summary>What the loaded model is, for health reports and logs.</summary>
/// <param name="ModelId">The id collections record.</param>
/// <param name="Dimension">Floats per embedding.</param>
/// <param name="Device">"cpu" or "cuda": where inference really runs (after any fallback).</param>
/// <param name="Location">Where it was loaded from.</param>
/// <param name="HasImageTower">False for a text tower alone (it queries collections of the image space it shares; it embeds no image).</param>
public sealed record LoadedModel(string ModelId, int Dimension, string Device, ModelLocation Location, bool HasImageTower = true);
