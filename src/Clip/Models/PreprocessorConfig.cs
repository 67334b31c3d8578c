using System.Text.Json;

namespace ClipSearch.Clip.Models;

/// <summary>
/// The image transform a CLIP model expects, from preprocessor_config.json (Hugging Face
/// CLIPImageProcessor): shorter side to <see cref="ResizeShortestEdge"/>, centre crop to
/// <see cref="CropSize"/>, scale to [0,1], normalise with <see cref="Mean"/> and <see cref="Std"/>.
/// </summary>
public sealed record PreprocessorConfig(int ResizeShortestEdge, int CropSize, float[] Mean, float[] Std)
{
    /// <summary>OpenAI CLIP's transform for 224-pixel models, used when a folder has no preprocessor_config.json.</summary>
    public static PreprocessorConfig ClipDefault { get; } = new(
        224, 224, [0.48145466f, 0.4578275f, 0.40821073f], [0.26862954f, 0.26130258f, 0.27577711f]);

    /// <summary>Reads a preprocessor_config.json; absent keys take CLIP's defaults. Both the old (<c>"size": 224</c>) and new (<c>{"shortest_edge": 224}</c>) forms are read.</summary>
    /// <exception cref="ClipModelException">The file is not valid JSON or holds impossible values.</exception>
    public static PreprocessorConfig Load(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var d = ClipDefault;
            var size = ReadSize(root, "size", "shortest_edge") ?? d.ResizeShortestEdge;
            var crop = ReadSize(root, "crop_size", "height") ?? size;
            var mean = ReadTriple(root, "image_mean") ?? d.Mean;
            var std = ReadTriple(root, "image_std") ?? d.Std;
            if (size <= 0 || crop <= 0 || crop > size || std.Any(s => s <= 0f))
            {
                throw new ClipModelException(path, $"a positive size and crop_size (crop <= size) and positive image_std, found size {size}, crop {crop}");
            }

            return new PreprocessorConfig(size, crop, mean, std);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IOException)
        {
            throw new ClipModelException(path, $"a valid preprocessor_config.json ({e.Message})", e);
        }
    }

    private static int? ReadSize(JsonElement root, string key, string innerKey)
    {
        if (!root.TryGetProperty(key, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetInt32(),
            JsonValueKind.Object when v.TryGetProperty(innerKey, out var inner) => inner.GetInt32(),
            JsonValueKind.Object when v.TryGetProperty("shortest_edge", out var inner) => inner.GetInt32(),
            _ => null,
        };
    }

    private static float[]? ReadTriple(JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var values = v.EnumerateArray().Select(e => e.GetSingle()).ToArray();
        return values.Length == 3 ? values : throw new FormatException($"{key} must have 3 values, found {values.Length}");
    }
}
