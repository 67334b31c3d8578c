namespace ClipSearch.Engine.Models;

/// <summary>A model folder and the weight variant to load from it.</summary>
/// <param name="Folder">Absolute path of the model folder.</param>
/// <param name="Variant">The variant, or null for the default (full-precision) files.</param>
/// <param name="Source">How it was named: "bundled", "folder" or "pulled".</param>
public sealed record ModelLocation(string Folder, string? Variant, string Source);
