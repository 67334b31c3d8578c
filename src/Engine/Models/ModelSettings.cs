using System.ComponentModel.DataAnnotations;
using ClipSearch.Engine.Configuration;

namespace ClipSearch.Engine.Models;

/// <summary>
/// Which model every front end runs (keys directly under <c>ClipSearch</c>: <c>ClipSearch:Model</c>,
/// <c>ClipSearch:Variant</c>, ...; CLI: <c>--model</c>, <c>--variant</c>; environment: <c>CLIPSEARCH_MODEL</c>,
/// <c>CLIPSEARCH_VARIANT</c>, <c>CLIPSEARCH_MODELS</c>). How it runs (<c>ClipSearch:Device</c>, <c>ClipSearch:BatchSize</c>, ...)
/// is <see cref="Clip.Inference.ClipEngineOptions"/>, bound from the same section.
/// </summary>
public sealed class ModelSettings
{
    public const string SectionName = SettingKeys.Section;

    /// <summary>A model folder, or the name of a pulled model (e.g. openai/clip-vit-base-patch32); the bundled tiny model when absent.</summary>
    public string? Model { get; set; }

    /// <summary>Weight variant, e.g. quantized for onnx/*_quantized.onnx; the full-precision files when absent ("full" says the same).</summary>
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", ErrorMessage = "ClipSearch:Variant must be a variant name such as quantized or fp16.")]
    public string? Variant { get; set; }

    /// <summary>Where <c>clipsearch models pull</c> puts models and where pulled names are looked up.</summary>
    [Required]
    public string ModelsFolder { get; set; } = UserFolders.Data("models");

    /// <summary>Text embeddings (queries and prompts) kept in memory; 0 turns the cache off.</summary>
    [Range(0, 1_000_000)]
    public int TextCacheEntries { get; set; } = 4096;
}
